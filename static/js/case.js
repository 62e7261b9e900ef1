// Case page: show the penalty fields only for 警告 / 处罚, and the step reason only when
// the chosen step differs from the proposed one. Without JavaScript every field shows and
// the server validates the same rules.
(function () {
  "use strict";

  function update(form) {
    var checked = form.querySelector("input[name=action]:checked");
    var action = checked ? checked.value : "";
    var penalty = form.querySelector("[data-penalty-fields]");
    if (penalty) penalty.hidden = !(action === "warn" || action === "penalize");
    var step = form.querySelector("[data-step-select]");
    var reason = form.querySelector("#decision-step-reason");
    if (step && reason) {
      var differs = action === "penalize" && step.value !== form.getAttribute("data-proposed-step");
      reason.required = differs;
      reason.closest("fieldset").classList.toggle("step-changed", differs);
    }
  }

  function init() {
    var form = document.querySelector(".decision-form");
    if (!form) return;
    form.addEventListener("change", function () { update(form); });
    update(form);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
