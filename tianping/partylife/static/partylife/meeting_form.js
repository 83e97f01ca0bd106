// The new-meeting form: a meeting dated before today is being recorded after the fact, so its status
// follows the date (已召开 for a past date, 已安排 for today or later) until the user picks a status.
(function () {
  const form = document.querySelector('[data-testid="meeting-form"][data-new]');
  if (!form) return;
  const date = form.querySelector('[name="date"]');
  const status = form.querySelector('[name="status"]');
  if (!date || !status) return;
  let touched = false;
  status.addEventListener('change', function () { touched = true; });
  date.addEventListener('change', function () {
    if (touched || !date.value) return;
    const today = form.dataset.today;
    status.value = date.value < today ? 'held' : 'planned';
  });
})();
