// The admin export page's "Select all" toggle (django-import-export wires it with an inline handler, which the
// Content-Security-Policy blocks): checks or unchecks every field checkbox.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".select-toggle").forEach((toggle) => {
    toggle.addEventListener("change", () => {
      document.querySelectorAll('.selectable-field-export-row input[type="checkbox"]').forEach((checkbox) => {
        checkbox.checked = toggle.checked;
      });
    });
  });
});
