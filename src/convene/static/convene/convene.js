// Convene's page script. There is no inline JavaScript anywhere (strict Content-Security-Policy).
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el.matches("[data-autosubmit]")) el.form.submit();
});

// The main menu is open in the HTML (it works without JavaScript); on a phone it starts folded
// and opens with its "Menu" toggle; on a wide screen it is always open.
(() => {
  const menu = document.querySelector("details.menu");
  if (!menu) return;
  const narrow = window.matchMedia("(max-width: 48rem)");
  const fit = () => { menu.open = !narrow.matches; };
  fit();
  narrow.addEventListener("change", fit);
})();
