// One language strip for the whole change form. modeltranslation draws a tab
// strip per translated field and a language <select> (its "main switch") in
// the heading that switches them all; this puts one row of buttons at the top
// of the form, drives that switch, and hides the per-field strips. Every
// translated field (the rich-text editors too: they sit in the same panels)
// then shows the chosen language at once.
(function () {
  "use strict";
  var $ = window.jQuery || (window.django && window.django.jQuery);
  if (!$) {
    return;
  }

  function languageName(code) {
    // Each language's name in itself, from the page (admin/base_site.html).
    var given = document.querySelector('meta[name="language-name-' + code + '"]');
    if (given && given.content) {
      return given.content;
    }
    try {
      var name = new Intl.DisplayNames([code], { type: "language" }).of(code);
      return name.charAt(0).toUpperCase() + name.slice(1);
    } catch (e) {
      return code.toUpperCase();
    }
  }

  // After modeltranslation's own ready handler (registered before this one).
  $(function () {
    var select = document.getElementById("modeltranslation-main-switch");
    // The change form itself (the page may hold other forms: workflow buttons, panels).
    var form = document.querySelector("#content-main form[id$='_form']");
    if (!select || !form || !document.querySelector(".ui-tabs")) {
      return;
    }
    var codes = Array.prototype.map.call(select.options, function (option) {
      return option.textContent.trim().replace("-", "_");
    });
    var strip = document.createElement("div");
    strip.className = "language-strip";
    strip.setAttribute("role", "group");
    var label = document.querySelector("meta[name=language-strip-label]");
    strip.setAttribute("aria-label", label ? label.content : "");
    var buttons = codes.map(function (code, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "language-strip__button";
      button.lang = code.replace("_", "-");
      button.dataset.language = code;
      button.textContent = languageName(code.replace("_", "-"));
      button.addEventListener("click", function () {
        choose(index);
      });
      strip.appendChild(button);
      return button;
    });

    function choose(index) {
      $(select).val(String(index)).trigger("change");
      mark(index);
    }

    function mark(index) {
      buttons.forEach(function (button, i) {
        button.setAttribute("aria-pressed", i === index ? "true" : "false");
      });
    }

    // A language with a field in error says so on its button.
    $(".ui-tab-has-errors a").each(function () {
      var code = this.textContent.trim().replace("-", "_");
      var index = codes.indexOf(code);
      if (index >= 0) {
        buttons[index].classList.add("language-strip__button--errors");
      }
    });

    // Into the form's own block (so that it sticks all the way down the form),
    // just before the part holding the first translated field.
    var container = form.querySelector(":scope > div") || form;
    var first = document.querySelector(".ui-tabs");
    while (first && first.parentNode !== container) {
      first = first.parentNode;
    }
    container.insertBefore(strip, first || container.firstChild);
    document.body.classList.add("has-language-strip");
    // Start where modeltranslation started (the page's language, or the first
    // language with an error), and keep every field on it.
    choose(parseInt(select.value, 10) || 0);
    // A tab activated some other way (a new inline row) follows the strip too.
    $(select).on("change", function () {
      mark(parseInt(select.value, 10) || 0);
    });
  });
})();
