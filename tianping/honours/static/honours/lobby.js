/* The lobby screen: rotates its slides, shows the time, and reloads its content in the background every few
   minutes. When the network is down it keeps showing the last content it had (no error page on the screen). */
(function () {
  "use strict";
  var body = document.body;
  var seconds = parseInt(body.getAttribute("data-seconds"), 10) || 12;
  var refresh = parseInt(body.getAttribute("data-refresh"), 10) || 300;
  var index = 0;

  function slides() { return document.querySelectorAll("#slides .slide"); }

  function show(i) {
    var all = slides();
    if (!all.length) { return; }
    index = i % all.length;
    for (var k = 0; k < all.length; k++) { all[k].classList.toggle("active", k === index); }
    var dots = document.getElementById("lobby-dots");
    if (dots) { dots.textContent = (index + 1) + " / " + all.length; }
  }

  function tick() {
    var clock = document.getElementById("lobby-clock");
    if (clock) {
      var d = new Date();
      var pad = function (n) { return (n < 10 ? "0" : "") + n; };
      clock.textContent = d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " +
        pad(d.getHours()) + ":" + pad(d.getMinutes());
    }
  }

  function reload() {
    var offline = document.getElementById("lobby-offline");
    fetch(window.location.href, {cache: "no-store", credentials: "omit"}).then(function (r) {
      if (r.status === 404) { document.getElementById("slides").innerHTML = ""; return null; }  // link revoked
      if (!r.ok) { throw new Error(String(r.status)); }
      return r.text();
    }).then(function (html) {
      if (html === null) { return; }
      var doc = new DOMParser().parseFromString(html, "text/html");
      var fresh = doc.getElementById("slides");
      if (fresh) { document.getElementById("slides").innerHTML = fresh.innerHTML; show(0); }
      if (offline) { offline.hidden = true; }
    }).catch(function () { if (offline) { offline.hidden = false; } });
  }

  show(0);
  tick();
  setInterval(function () { show(index + 1); }, seconds * 1000);
  setInterval(tick, 15000);
  setInterval(reload, refresh * 1000);
})();
