// Loaded by complaints/citizen/form.html; kept out of the page for the CSP.
(function () {
  // An exclusion is what needs attention (errors are focused by error-summary.js).
  var box = document.getElementById("exclusion");
  if (box) { box.focus(); }
  // Ask the follow-up questions only of those they concern; without JavaScript all
  // are shown, each saying whom it is for.
  var agency = document.getElementById("div_id_acts_as_private_party");
  var contract = document.getElementById("div_id_about_contract");
  var radios = document.querySelectorAll('input[name="filer_type"]');
  function sync() {
    var checked = document.querySelector('input[name="filer_type"]:checked');
    var value = checked ? checked.value : "";
    if (agency) { agency.hidden = !(value === "agency" || value === "public_body"); }
    if (contract) { contract.hidden = value !== "contractor"; }
  }
  for (var i = 0; i < radios.length; i++) { radios[i].addEventListener("change", sync); }
  sync();
})();
