// Saves each answer as it is given. Without JavaScript the page's own submit saves them.
// Also: submit buttons that send once, and print buttons.
(function () {
  "use strict";
  // A double click on a submit button sends one request.
  document.querySelectorAll("[data-submit-once]").forEach(function (button) {
    button.form.addEventListener("submit", function () {
      setTimeout(function () { button.disabled = true; }, 0);
    });
  });

  // A print button shows only where a script can press it; the page says how to print without.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  var form = document.getElementById("questionnaire");
  if (!form || !window.fetch) { return; }
  var statusEl = document.getElementById("save-status");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var url = form.getAttribute("data-autosave-url");

  function show(text, failed) {
    statusEl.textContent = text;
    statusEl.classList.toggle("error", !!failed);
  }

  form.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type !== "radio") { return; }
    var body = new URLSearchParams();
    if (input.name === "gender") {
      body.append("gender", input.value);
    } else {
      body.append("item", input.name.replace("item-", ""));
      body.append("value", input.value);
    }
    fetch(url, {
      method: "POST",
      headers: {"X-CSRFToken": token},
      body: body,
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (data) {
        if (response.ok && data.saved) { show(window.DIGILYFT.saved); }
        else { show(data.error || window.DIGILYFT.failed, true); }
      });
    }).catch(function () { show(window.DIGILYFT.failed, true); });
  });
})();
