// tianping front-end glue. No inline scripts anywhere (CSP script-src 'self').
(function () {
  function enhance(root) {
    var lang = document.body.dataset.lang === "en" ? "default" : "zh";
    root.querySelectorAll("select[data-searchable]").forEach(function (el) {
      if (el.tomselect || !window.TomSelect) return;
      // a single choice closes its list and drops the typed text once picked (see the mousedown guard below)
      new TomSelect(el, { maxOptions: 500, allowEmptyOption: true, closeAfterSelect: !el.multiple,
                          clearAfterSelect: true });
    });
    root.querySelectorAll("input[type=date][data-picker], input.datepicker").forEach(function (el) {
      if (!el._flatpickr && window.flatpickr) { flatpickr(el, { locale: lang, dateFormat: "Y-m-d", allowInput: true }); }
    });
    root.querySelectorAll("[data-confirm]").forEach(function (el) {
      if (el._confirmBound) return; el._confirmBound = true;
      el.addEventListener("click", function (e) { if (!window.confirm(el.dataset.confirm)) e.preventDefault(); });
    });
    root.querySelectorAll("[data-echarts]").forEach(function (el) {
      if (el._chart || !window.echarts) return;
      var src = document.getElementById(el.dataset.echarts);
      if (!src) return;
      el._chart = echarts.init(el, el.dataset.echartsTheme || null); el._chart.setOption(JSON.parse(src.textContent));
      // a point that carries the address of its records ({"value": 12, "url": "/trials/cases/?…"}) opens it
      el._chart.on("click", function (p) {
        var url = p && p.data && p.data.url;
        if (typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/") { window.location.href = url; }
      });
      window.addEventListener("resize", function () { el._chart.resize(); });
    });
  }
  // A focused searchable dropdown shows its text box beside the pick, so it is wider (or a line taller) than
  // when it is not. A mousedown elsewhere (on 查询, 重置, the next field) blurs it: it shrinks, what was under
  // the pointer slides away before the mouseup, and the click lands beside it — the first 查询 sent nothing.
  // Hold the dropdown's size from that mousedown until the click has been delivered.
  document.addEventListener("mousedown", function (e) {
    var active = document.activeElement;
    var wrapper = active && active.closest ? active.closest(".ts-wrapper") : null;
    if (!wrapper || wrapper.contains(e.target)) return;
    var box = wrapper.getBoundingClientRect();
    wrapper.style.minWidth = box.width + "px";
    wrapper.style.minHeight = box.height + "px";
    document.addEventListener("mouseup", function () {
      setTimeout(function () { wrapper.style.minWidth = ""; wrapper.style.minHeight = ""; }, 0);  // after the click
    }, { once: true, capture: true });
  }, true);
  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:load", function (e) { enhance(e.target); });
  window.tianping = { enhance: enhance };
})();
// A field shown only while another field of its form has one of some values: data-show-when="step"
// data-show-value="extended" (or a comma-separated list)
// (e.g. 延长月数 only for the probation-extension step). The field's column is hidden, not the field disabled.
(function () {
  function sync(form) {
    form.querySelectorAll("[data-show-when]").forEach(function (el) {
      var ctl = form.elements[el.dataset.showWhen];
      var box = el.closest("[class*='col-']") || el.parentElement;
      if (ctl && box) { box.hidden = el.dataset.showValue.split(",").indexOf(ctl.value) < 0; }
    });
  }
  function bind(root) {
    root.querySelectorAll("form").forEach(function (form) {
      if (form._showWhen || !form.querySelector("[data-show-when]")) return;
      form._showWhen = true;
      form.addEventListener("change", function () { sync(form); });
      sync(form);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { bind(document); });
  document.addEventListener("htmx:load", function (e) { bind(e.target); });
})();
