// Treaty pages: the print button of a depositary notification (no inline script: strict CSP).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
