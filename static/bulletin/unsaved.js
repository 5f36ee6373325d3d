// Warn before leaving an admin change form with unsaved edits. Any submit of
// the form (Save, or a workflow button, which saves first) is not "leaving".
(function () {
  "use strict";
  var form = document.querySelector("#content-main form[id$='_form']");
  if (!form) { return; }
  function state() {
    return Array.from(new FormData(form).entries())
      .filter(function (pair) { return typeof pair[1] === "string"; })
      .map(function (pair) { return pair[0] + "=" + pair[1]; }).join("&");
  }
  var initial = state();
  var submitting = false;
  form.addEventListener("submit", function () { submitting = true; });
  window.addEventListener("beforeunload", function (event) {
    if (submitting || state() === initial) { return; }
    event.preventDefault();
    event.returnValue = "";
  });
})();
