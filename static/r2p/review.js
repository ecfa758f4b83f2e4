// Review in the item editor: merge choices on the conflict screen, comments on a selected passage,
// highlighting commented passages, presence. Loaded as a file: the Content-Security-Policy forbids inline code.
(function () {
  "use strict";

  function notesField() {
    return document.getElementById("id_notes");
  }

  // --- conflict merge: the editor's notes are the merged parts, each conflict as chosen or edited -------
  function rebuildMerge(container) {
    const field = notesField();
    if (!field) return;
    const parts = Array.from(container.querySelectorAll("[data-merge-part]"))
      .map(function (part) { return part.value.replace(/^\n+|\n+$/g, ""); })
      .filter(function (text) { return text.trim() !== ""; });
    field.value = parts.join("\n\n");
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }

  document.addEventListener("click", function (event) {
    const use = event.target.closest("[data-merge-use]");
    if (!use) return;
    const conflict = use.closest(".merge-conflict");
    const part = conflict && conflict.querySelector("[data-merge-part]");
    if (!part) return;
    part.value = part.dataset[use.dataset.mergeUse] || "";
    conflict.querySelectorAll("[data-merge-use]").forEach(function (button) {
      button.setAttribute("aria-pressed", button === use ? "true" : "false");
    });
    rebuildMerge(use.closest("[data-merge]"));
  });

  document.addEventListener("input", function (event) {
    if (event.target.matches("[data-merge-part]")) rebuildMerge(event.target.closest("[data-merge]"));
  });

  // --- comments on a passage: a selection in the notes or the preview becomes the new comment's anchor ---
  const CONTEXT = 40;

  function setAnchor(quote, prefix) {
    const form = document.querySelector("[data-comment-form]");
    if (!form) return;
    form.querySelector("[data-anchor-quote]").value = quote;
    form.querySelector("[data-anchor-prefix]").value = prefix;
    const show = form.querySelector("[data-anchor-show]");
    if (show) show.hidden = !quote;
    const preview = form.querySelector("[data-anchor-preview]");
    if (preview) preview.textContent = quote.length > 160 ? quote.slice(0, 157) + "…" : quote;
    const help = form.querySelector("[data-anchor-help]");
    if (help) help.hidden = !!quote;
  }

  function selectionInNotes(field) {
    const start = field.selectionStart, end = field.selectionEnd;
    if (end <= start) return;
    const quote = field.value.slice(start, end);
    if (!quote.trim()) return;
    setAnchor(quote.trim(), field.value.slice(Math.max(0, start - CONTEXT), start));
  }

  function selectionInPreview() {
    const preview = document.getElementById("preview");
    const selection = window.getSelection();
    if (!preview || !selection || selection.isCollapsed || !selection.rangeCount) return;
    const range = selection.getRangeAt(0);
    if (!preview.contains(range.commonAncestorContainer)) return;
    const quote = selection.toString().trim();
    if (!quote) return;
    const before = document.createRange();
    before.setStart(preview, 0);
    before.setEnd(range.startContainer, range.startOffset);
    setAnchor(quote, before.toString().slice(-CONTEXT));
  }

  function onSelect(event) {
    if (event.target.id === "id_notes") selectionInNotes(event.target);
    else if (event.target.closest && event.target.closest("#preview")) selectionInPreview();
  }
  document.addEventListener("mouseup", onSelect);
  document.addEventListener("keyup", function (event) {
    if (event.shiftKey || event.key === "Shift") onSelect(event);
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-anchor-clear]")) {
      setAnchor("", "");
      return;
    }
    const mark = event.target.closest("mark[data-thread-ref]");
    if (mark) {
      const thread = document.getElementById("thread-" + mark.dataset.threadRef);
      if (thread) flash(thread);
      return;
    }
    const quote = event.target.closest(".thread .anchor-quote");
    if (quote) {
      const thread = quote.closest("[data-thread]");
      const target = document.querySelector('mark[data-thread-ref="' + thread.dataset.thread + '"]');
      if (target) flash(target);
    }
  });

  function flash(element) {
    element.scrollIntoView({ behavior: "smooth", block: "center" });
    element.classList.add("flash");
    window.setTimeout(function () { element.classList.remove("flash"); }, 1600);
  }

  // --- highlight each open thread's passage in the preview ---------------------------------------------
  function normalise(text) {
    return text.replace(/[*_]/g, "").replace(/\s+/g, " ").trim();
  }

  function highlight() {
    const preview = document.getElementById("preview");
    if (!preview) return;
    preview.querySelectorAll("mark[data-thread-ref]").forEach(function (mark) {
      mark.replaceWith.apply(mark, Array.from(mark.childNodes));
    });
    preview.normalize();
    document.querySelectorAll("[data-anchor-text]").forEach(function (thread) {
      const wanted = normalise(thread.dataset.anchorText);
      if (!wanted) return;
      const walker = document.createTreeWalker(preview, NodeFilter.SHOW_TEXT);
      let node;
      while ((node = walker.nextNode())) {
        if (node.parentElement.closest("mark, sup, .footnotes")) continue;
        const text = node.nodeValue.replace(/\s+/g, " ");
        let at = text.indexOf(wanted);
        let length = wanted.length;
        if (at === -1 && wanted.length > 30) {  // the passage spans formatting: mark its first words
          at = text.indexOf(wanted.slice(0, 30));
          length = 30;
        }
        if (at === -1) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, Math.min(node.nodeValue.length, at + length));
        const mark = document.createElement("mark");
        mark.className = "anchor-mark";
        mark.dataset.threadRef = thread.dataset.thread;
        mark.title = "Commented: see the thread";
        range.surroundContents(mark);
        break;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", highlight);
  document.addEventListener("htmx:afterSettle", highlight);
})();

// @mentions: typing "@" in a comment box offers the people assigned to the assessment (ARIA combobox with a
// listbox; arrows choose, Enter or Tab inserts, Escape closes). The list is fetched once per item.
(function () {
  "use strict";
  const lists = {};
  let menu = null;
  let active = -1;
  let field = null;

  function load(url) {
    if (!lists[url]) {
      lists[url] = fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { people: [] }; })
        .then(function (data) { return data.people || []; })
        .catch(function () { return []; });
    }
    return lists[url];
  }

  function typed(textarea) {
    const before = textarea.value.slice(0, textarea.selectionStart);
    const match = /(^|[^\w@])@([\w.+-]*)$/.exec(before);
    return match ? { word: match[2], start: before.length - match[2].length - 1 } : null;
  }

  function close() {
    if (menu) menu.remove();
    if (field) {
      field.setAttribute("aria-expanded", "false");
      field.removeAttribute("aria-activedescendant");
    }
    menu = null;
    active = -1;
  }

  function choose(index) {
    const options = menu ? menu.querySelectorAll("[role=option]") : [];
    if (!options.length) return;
    active = (index + options.length) % options.length;
    options.forEach(function (option, i) { option.setAttribute("aria-selected", i === active ? "true" : "false"); });
    field.setAttribute("aria-activedescendant", options[active].id);
  }

  function insert(username) {
    const at = typed(field);
    if (!at) return close();
    const rest = field.value.slice(field.selectionStart);
    field.value = field.value.slice(0, at.start) + "@" + username + " " + rest;
    const caret = at.start + username.length + 2;
    field.setSelectionRange(caret, caret);
    close();
    field.focus();
  }

  function show(textarea, people, word) {
    close();
    field = textarea;
    const wanted = word.toLowerCase();
    const found = people.filter(function (person) {
      return person.username.toLowerCase().startsWith(wanted) || person.name.toLowerCase().includes(wanted);
    }).slice(0, 8);
    if (!found.length) return;
    menu = document.createElement("ul");
    menu.id = textarea.id + "-mentions";
    menu.className = "mention-menu";
    menu.setAttribute("role", "listbox");
    menu.setAttribute("aria-label", "People to mention");
    found.forEach(function (person, i) {
      const option = document.createElement("li");
      option.id = menu.id + "-" + i;
      option.setAttribute("role", "option");
      option.dataset.username = person.username;
      option.textContent = person.name + " (@" + person.username + ")" + (person.roles ? " · " + person.roles : "");
      menu.appendChild(option);
    });
    textarea.insertAdjacentElement("afterend", menu);
    textarea.setAttribute("role", "combobox");
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", menu.id);
    textarea.setAttribute("aria-expanded", "true");
    choose(0);
  }

  document.addEventListener("input", function (event) {
    const textarea = event.target.closest && event.target.closest("textarea[data-mentions]");
    if (!textarea) return;
    const at = typed(textarea);
    if (!at) return close();
    load(textarea.dataset.mentions).then(function (people) {
      const still = typed(textarea);
      if (still && document.activeElement === textarea) show(textarea, people, still.word);
    });
  });

  document.addEventListener("keydown", function (event) {
    if (!menu || event.target !== field) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      choose(active + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter" || event.key === "Tab") {
      const option = menu.querySelectorAll("[role=option]")[active];
      if (option) {
        event.preventDefault();
        insert(option.dataset.username);
      }
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });

  document.addEventListener("mousedown", function (event) {
    const option = event.target.closest && event.target.closest(".mention-menu [role=option]");
    if (option) {
      event.preventDefault();
      insert(option.dataset.username);
    } else if (menu && !event.target.closest(".mention-menu")) {
      close();
    }
  });
})();
