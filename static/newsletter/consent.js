// The subscribe box shows the consent sentence in the language chosen in its
// select (all of them are in the page; the server renders the page language's
// one visible, so without this script what is shown is what is chosen), and
// tells the server which one it showed.
(function () {
  "use strict";
  document.querySelectorAll("form.nl-form").forEach(function (form) {
    var select = form.querySelector("select[name=language]");
    var shown = form.querySelector("input[name=consent_shown]");
    var texts = form.querySelectorAll("[data-consent-for]");
    if (!select || !shown || !texts.length) {
      return;
    }
    function show() {
      var match = null;
      texts.forEach(function (text) {
        if (text.getAttribute("data-consent-for") === select.value) {
          match = text;
        }
      });
      if (!match) {
        return; // a language without a text: keep the one shown
      }
      texts.forEach(function (text) {
        text.hidden = text !== match;
      });
      shown.value = select.value;
    }
    select.addEventListener("change", show);
    show(); // a browser may restore the select's last choice on Back
  });
})();
