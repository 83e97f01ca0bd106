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

// Triage: show the mediator for the people's mediation room, the studio for a judge's studio, neither for filing.
(function () {
  var room = document.getElementById("id_room");
  if (!room || !document.getElementById("id_studio")) return;
  function wrap(id) {
    var el = document.getElementById(id);
    return el ? el.closest("[class^='col-']") : null;
  }
  function sync() {
    var route = document.querySelector("input[name=route]:checked");
    var filing = route && route.value === "filing";
    var pairs = [["id_room", !filing], ["id_mediator", !filing && room.value === "peoples"],
                 ["id_studio", !filing && room.value === "studio"]];
    pairs.forEach(function (p) {
      var w = wrap(p[0]);
      if (w) w.classList.toggle("d-none", !p[1]);
    });
  }
  room.addEventListener("change", sync);
  document.querySelectorAll("input[name=route]").forEach(function (r) { r.addEventListener("change", sync); });
  sync();
})();
