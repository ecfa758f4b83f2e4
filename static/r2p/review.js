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
})();
