// Loaded by base.html on a page with errors; kept out of the page for the CSP.
// Take keyboard and screen-reader users straight to what needs their attention.
(function () {
  var box = document.querySelector("[data-focus-on-load]");
  if (box) { box.focus(); }
})();
