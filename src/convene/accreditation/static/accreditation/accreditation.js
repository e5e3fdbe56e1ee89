// Accreditation queues: a "select all" box for the bulk actions (no inline script: strict CSP).
document.addEventListener("change", (event) => {
  const box = event.target;
  if (!box.matches("[data-select-all]")) return;
  const name = box.getAttribute("data-select-all");
  box.form.querySelectorAll(`input[type=checkbox][name="${name}"]`).forEach((el) => {
    el.checked = box.checked;
  });
});
