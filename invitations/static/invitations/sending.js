// While invitations are being sent, fetch the counts and the send button every few seconds
// and put them in place, so the page follows the sending without a reload. Without
// JavaScript the page says so and offers a link to the latest counts.
(function () {
  "use strict";
  var EVERY_MS = 2000;

  function refresh() {
    var box = document.getElementById("sending");
    if (!box || !box.hasAttribute("data-sending")) { return; }
    fetch(box.getAttribute("data-progress-url"), { credentials: "same-origin" })
      .then(function (answer) { return answer.ok ? answer.text() : Promise.reject(answer.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("sending");
        if (!fresh) { return; }
        box.querySelectorAll("[data-part]").forEach(function (part) {
          var replacement = fresh.querySelector("#" + part.id);
          if (replacement) { part.replaceWith(document.importNode(replacement, true)); }
        });
        // The status line is a live region: change its text, so that it is announced.
        var status = document.getElementById("send-progress");
        var freshStatus = fresh.querySelector("#send-progress");
        if (status && freshStatus && status.textContent !== freshStatus.textContent) {
          status.textContent = freshStatus.textContent;
        }
        if (fresh.hasAttribute("data-sending")) { return; }
        box.removeAttribute("data-sending");
      })
      .catch(function () { /* a missed look is taken again at the next tick */ })
      .then(function () {
        if (box.hasAttribute("data-sending")) { window.setTimeout(refresh, EVERY_MS); }
      });
  }

  window.setTimeout(refresh, EVERY_MS);
})();
