// Attendance sheet: "set every row that is not yet recorded to …" buttons (no inline scripts: CSP).
(function () {
  document.addEventListener("click", function (e) {
    var btn = e.target.closest("[data-set-pending]");
    if (!btn) return;
    e.preventDefault();
    var form = btn.closest("form");
    form.querySelectorAll("select[name^=status_]").forEach(function (sel) {
      if (sel.value === "pending") sel.value = btn.dataset.setPending;
    });
  });
})();
