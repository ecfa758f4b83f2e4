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
