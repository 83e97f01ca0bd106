// tianping front-end glue. No inline scripts anywhere (CSP script-src 'self').
(function () {
  function enhance(root) {
    var lang = document.body.dataset.lang === "en" ? "default" : "zh";
    root.querySelectorAll("select[data-searchable]").forEach(function (el) {
      if (!el.tomselect && window.TomSelect) { new TomSelect(el, { maxOptions: 500, allowEmptyOption: true }); }
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
      el._chart = echarts.init(el); el._chart.setOption(JSON.parse(src.textContent));
      window.addEventListener("resize", function () { el._chart.resize(); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:load", function (e) { enhance(e.target); });
  window.tianping = { enhance: enhance };
})();
