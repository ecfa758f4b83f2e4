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
      const results = document.getElementById("source-results");
      if (results) results.replaceChildren();
      const search = document.getElementById("source-search");
      if (search) search.value = "";
    }
  });

  // Enter in the source search must not submit the draft form.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.id === "source-search") {
      event.preventDefault();
      const first = document.querySelector("#source-results [data-cite-key]");
      if (first) first.click();
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
