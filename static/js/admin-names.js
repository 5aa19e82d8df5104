// The admin's searchable pickers (select2, for autocomplete fields) draw a combobox of
// their own beside the hidden <select>, named by the choice shown: empty until one is
// made. Each combobox is given the name of its field: the <select>'s aria-label (a
// row of an inline) or its <label>. Rows added later get theirs when they appear.
"use strict";
(function () {
  function nameOf(select) {
    const label = select.id && document.querySelector('label[for="' + select.id + '"]');
    return select.getAttribute("aria-label") || (label ? label.textContent.replace(/:$/, "").trim() : "");
  }
  function nameAll() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      const box = select.parentElement && select.parentElement.querySelector(".select2-selection");
      const name = nameOf(select);
      if (box && name && box.getAttribute("aria-label") !== name) {
        // Named by the field, not by the choice shown (that is its value).
        box.removeAttribute("aria-labelledby");
        box.setAttribute("aria-label", name);
      }
      // The choice shown inside is the combobox's value, not a text field of its own.
      const shown = box && box.querySelector('.select2-selection__rendered[role="textbox"]');
      if (shown) {
        shown.removeAttribute("role");
        shown.removeAttribute("aria-readonly");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    nameAll();
    new MutationObserver(nameAll).observe(document.body, { childList: true, subtree: true });
  });
})();
