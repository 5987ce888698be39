// Copy buttons for the invitation texts of shared links. Without JavaScript (or without the
// clipboard) the buttons stay hidden and the text is there to select and copy by hand.
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) { return; }
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    var status = button.parentNode.querySelector(".copy-status");
    if (!source || !status) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = "";
      navigator.clipboard.writeText(source.value).then(
        function () { status.textContent = button.getAttribute("data-copied"); },
        function () {
          source.select();
          status.textContent = button.getAttribute("data-copy-failed");
        }
      );
    });
  });
})();
