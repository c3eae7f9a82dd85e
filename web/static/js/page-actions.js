// Small page behaviours without inline script, so the Content-Security-Policy can forbid it:
//   <button type="button" data-print>…</button>   prints the page;
//   <form data-confirm="question">…</form>         asks before submitting;
//   <input data-select-on-focus>                  selects its text when focused (a secret to copy).
(function () {
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });
  document.addEventListener("submit", function (event) {
    var form = event.target.closest && event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-select-on-focus]")) event.target.select();
  });
})();
