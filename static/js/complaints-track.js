// Loaded by complaints/citizen/track.html; kept out of the page for the CSP.
(function () {
  var box = document.getElementById("not-found") || document.getElementById("error-summary");
  if (box) { box.focus(); }
})();
