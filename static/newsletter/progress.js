// While a dispatch is sending, refresh the newsletter panel's figures every few seconds.
(function () {
  "use strict";
  var panel = document.getElementById("newsletter");
  if (!panel) { return; }
  var url = panel.getAttribute("data-progress-url");
  function refresh() {
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
      var sending = false;
      Object.keys(data).forEach(function (language) {
        var row = panel.querySelector('tr[data-language="' + language + '"]');
        var d = data[language];
        if (!row) { return; }
        row.querySelector(".nl-recipients").textContent = d.recipients;
        row.querySelector(".nl-sent").textContent = d.sent;
        row.querySelector(".nl-pending").textContent = d.pending + d.sending;
        row.querySelector(".nl-progress").value = d.percent;
        row.querySelector(".nl-percent").textContent = d.percent + "%";
        if (d.status === "sending") { sending = true; }
      });
      if (sending) { window.setTimeout(refresh, 3000); }
    });
  }
  if (panel.getAttribute("data-sending") === "1") {
    window.setTimeout(refresh, 3000);
  }
}());
