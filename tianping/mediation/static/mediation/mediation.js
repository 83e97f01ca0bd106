// Dispute intake: add party rows (the formset's empty form), and the triage form shows the fields of the chosen room.
(function () {
  var add = document.getElementById("add-party");
  if (add) {
    add.addEventListener("click", function () {
      var total = document.getElementById("id_party-TOTAL_FORMS");
      var n = parseInt(total.value, 10);
      var html = document.getElementById("party-template").innerHTML.replace(/__prefix__/g, n);
      document.getElementById("party-rows").insertAdjacentHTML("beforeend", html);
      total.value = n + 1;
    });
  }
})();
