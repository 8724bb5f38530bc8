// Loaded by complaints/citizen/receipt.html; kept out of the page for the CSP.
(function () {
  var button = document.getElementById("print-button");
  if (!button || !window.print) { return; }
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
