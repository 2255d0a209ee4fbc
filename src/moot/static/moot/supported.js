// moot: load as a classic (non-module) script at the very start of <body>,
// so these classes are set before the page is first painted.
// `js-enabled` says JavaScript runs; `govuk-frontend-supported` says the
// browser runs ES modules, which GOV.UK Frontend's CSS and JavaScript check
// before enhancing components.
(function () {
  var classes = document.body.classList;
  classes.add("js-enabled");
  if ("noModule" in HTMLScriptElement.prototype) {
    classes.add("govuk-frontend-supported");
  }
})();
