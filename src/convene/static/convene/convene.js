// Convene's page script. There is no inline JavaScript anywhere (strict Content-Security-Policy).
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el.matches("[data-autosubmit]")) el.form.submit();
});
