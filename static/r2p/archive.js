// Archive import review: choosing a library source in a proposed source's search fills its "cite instead" key.
// Loaded as a file because the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";

  function pick(option) {
    const box = option.closest(".archive-source-picker");
    const field = box && box.querySelector(".source-use-key");
    if (!field) return;
    field.value = option.dataset.citeKey;
    field.dispatchEvent(new Event("change", { bubbles: true }));
    box.querySelector(".source-results").innerHTML = "";
    const search = box.querySelector(".source-use-search");
    if (search) search.value = "";
    field.focus();
  }

  document.addEventListener("click", function (event) {
    const option = event.target.closest(".archive-source-picker [data-cite-key]");
    if (option) pick(option);
  });

  // Enter in a search chooses the first (selected) match and never submits a form; Escape clears the list.
  document.addEventListener("keydown", function (event) {
    const search = event.target.closest && event.target.closest(".source-use-search");
    if (!search) return;
    const box = search.closest(".archive-source-picker");
    if (event.key === "Enter") {
      event.preventDefault();
      const option = box.querySelector("[aria-selected=true][data-cite-key]") || box.querySelector("[data-cite-key]");
      if (option) pick(option);
    } else if (event.key === "Escape") {
      box.querySelector(".source-results").innerHTML = "";
    }
  });
})();
