// Small page behaviours without inline script, so the Content-Security-Policy can forbid it:
//   <button type="button" data-print>…</button>   prints the page;
//   <form data-confirm="question">…</form>         asks before submitting;
//   <input data-select-on-focus>                  selects its text when focused (a secret to copy);
//   <select data-submit-on-change>                submits its form when a choice is made.
(function () {
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });
  document.addEventListener("submit", function (event) {
    var form = event.target.closest && event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });
  document.addEventListener("change", function (event) {
    var field = event.target.matches && event.target.matches("[data-submit-on-change]") ? event.target : null;
    if (field && field.form) field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
  });
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-select-on-focus]")) event.target.select();
  });
})();
