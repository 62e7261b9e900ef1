// Report dialog (举报): htmx loads the form into #report-slot; this makes it a modal
// dialog, closes it on the buttons marked data-close-dialog, and shows the chosen rule's
// text under the select. Without JavaScript the report links open the plain /report/ page.
(function () {
  "use strict";

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "report-slot") return;
    var dialog = target.querySelector("dialog.report-dialog");
    if (!dialog || typeof dialog.showModal !== "function") return;
    // Rendered open (so it shows even if this file fails to load); reopen it as a modal.
    // removeAttribute, not close(): close() would queue a close event that removes it.
    dialog.removeAttribute("open");
    dialog.showModal();
    var select = dialog.querySelector("[data-rule-select]");
    if (select) select.focus();
    dialog.addEventListener("close", function () { dialog.remove(); });
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-close-dialog]");
    if (!button) return;
    var dialog = button.closest("dialog");
    if (dialog) dialog.close();
  });

  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches("[data-rule-select]")) return;
    var help = select.form && select.form.querySelector("[data-rule-help]");
    if (!help) return;
    var option = select.options[select.selectedIndex];
    help.textContent = (option && option.getAttribute("data-text")) || help.getAttribute("data-empty");
  });
})();
