// Comment and reply forms: a live count of the characters left. The form works without it; htmx
// swaps in a fresh form after each post, so the listener is attached to the document.
(function () {
  "use strict";

  function update(textarea) {
    var form = textarea.closest(".comment-form");
    if (!form) return;
    var help = form.querySelector("[data-max-length]");
    var counter = form.querySelector(".char-count");
    if (!help || !counter) return;
    var max = parseInt(help.getAttribute("data-max-length"), 10);
    var left = max - textarea.value.length;
    // The sentences come translated from the template (data-left / data-over).
    var sentence = left >= 0 ? help.getAttribute("data-left") : help.getAttribute("data-over");
    counter.textContent = sentence.replace("%(n)s", String(Math.abs(left)));
  }

  function updateAll(root) {
    (root || document).querySelectorAll(".comment-form textarea").forEach(update);
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches(".comment-form textarea")) update(event.target);
  });
  // A form that comes back with the text in it (an error) or is swapped in (a reply form)
  // shows its count at once, before the first keystroke.
  document.addEventListener("DOMContentLoaded", function () { updateAll(); });
  document.addEventListener("htmx:afterSwap", function (event) { updateAll(event.target.parentNode || document); });
})();
