// Staff area: a "copy" button for a value shown once (an API token). The button stays hidden
// where the clipboard is not available; the value can always be selected and copied by hand.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    if (!field || !navigator.clipboard) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = button.getAttribute("data-copied-text");
      });
    });
  });
})();
