// Item editor: insert citations from the source picker, warn before leaving unsaved text.
// Loaded as a file because the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";

  function notesField() {
    return document.getElementById("id_notes");
  }

  // Insert text at the cursor (or replace the selection) and tell htmx the notes changed.
  function insertAtCursor(field, text) {
    const start = field.selectionStart ?? field.value.length;
    const end = field.selectionEnd ?? field.value.length;
    field.setRangeText(text, start, end, "end");
    field.focus();
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }

  document.addEventListener("click", function (event) {
    const pick = event.target.closest("[data-cite-key]");
    if (pick) {
      const field = notesField();
      if (!field) return;
      insertAtCursor(field, "[@" + pick.dataset.citeKey + "]");
      closePicker();
      const search = document.getElementById("source-search");
      if (search) search.value = "";
    }
  });

  // The source picker is a combobox: ↓/↑ move through the ranked sources, Enter cites the chosen one (and never
  // submits the draft form), Escape closes the list. The chosen option is announced via aria-activedescendant.
  function pickerOptions() {
    return Array.from(document.querySelectorAll("#source-results [role=option]"));
  }

  function choose(option) {
    const search = document.getElementById("source-search");
    pickerOptions().forEach(function (each) {
      each.setAttribute("aria-selected", each === option ? "true" : "false");
    });
    if (!search) return;
    if (option) {
      search.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      search.removeAttribute("aria-activedescendant");
    }
  }

  function closePicker() {
    const results = document.getElementById("source-results");
    if (results) results.replaceChildren();
    const search = document.getElementById("source-search");
    if (search) {
      search.setAttribute("aria-expanded", "false");
      search.removeAttribute("aria-activedescendant");
    }
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.id !== "source-results") return;
    const options = pickerOptions();
    const search = document.getElementById("source-search");
    if (search) search.setAttribute("aria-expanded", options.length ? "true" : "false");
    choose(options[0] || null);
  });

  document.addEventListener("keydown", function (event) {
    if (event.target.id !== "source-search") return;
    const options = pickerOptions();
    const current = options.findIndex(function (option) {
      return option.getAttribute("aria-selected") === "true";
    });
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!options.length) return;
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      choose(options[(current + step + options.length) % options.length]);
    } else if (event.key === "Enter") {
      event.preventDefault();
      const picked = options[current] || options[0];
      if (picked) picked.click();
    } else if (event.key === "Escape" && options.length) {
      event.preventDefault();
      closePicker();
    }
  });

  // Unsaved-changes guard: browsers ask before leaving a page whose draft was edited.
  let dirty = false;
  document.addEventListener("input", function (event) {
    const form = event.target.closest("form[data-dirty-guard]");
    if (form && event.target.id !== "source-search") {
      dirty = true;
      const state = form.querySelector("[data-saved-state]");
      if (state) state.textContent = "Unsaved changes";
    }
  });
  document.addEventListener("change", function (event) {
    if (event.target.closest("form[data-dirty-guard]") && event.target.id !== "source-search") dirty = true;
  });
  document.addEventListener("submit", function (event) {
    if (event.target.matches("form[data-dirty-guard]")) dirty = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
