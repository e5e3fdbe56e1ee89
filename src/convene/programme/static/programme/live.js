// Screens following a session (and the operator console). No inline script (strict CSP).
//
// The live panel polls every 2 s (hx-trigger). Each poll sends the panel's ETag as
// If-None-Match; while nothing has changed the server answers 304 Not Modified with no body
// and the panel is left as it is. Between changes, the clock of the current cue ticks here,
// from the time the server said the cue started (corrected for the difference between the
// server's and this computer's clocks).
(() => {
  const panels = () => document.querySelectorAll("[data-live]");
  let skewMs = 0; // server time minus this computer's time

  function readSkew(panel) {
    const serverNow = Number(panel.dataset.serverNow);
    if (serverNow) skewMs = serverNow * 1000 - Date.now();
  }

  function fmt(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    const mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(r).padStart(2, "0");
  }

  function tick() {
    const now = (Date.now() + skewMs) / 1000;
    panels().forEach((panel) => {
      const clock = panel.querySelector("[data-started-at]");
      if (!clock) return;
      const elapsed = now - Number(clock.dataset.startedAt);
      clock.textContent = fmt(elapsed);
      const over = elapsed - Number(clock.dataset.duration);
      const warning = panel.querySelector("[data-overrun]");
      if (warning) {
        warning.hidden = over <= 0;
        const by = warning.querySelector("[data-overrun-by]");
        if (by && over > 0) by.textContent = "+" + fmt(over);
      }
      panel.classList.toggle("is-overrun", over > 0);
    });
  }

  document.addEventListener("htmx:configRequest", (event) => {
    const elt = event.detail.elt;
    if (elt.matches && elt.matches("[data-live]") && elt.dataset.etag) {
      event.detail.headers["If-None-Match"] = elt.dataset.etag;
    }
  });
  document.addEventListener("htmx:beforeSwap", (event) => {
    if (event.detail.xhr.status === 304) event.detail.shouldSwap = false;
  });
  document.addEventListener("htmx:afterSwap", () => {
    panels().forEach(readSkew);
    tick();
  });
  document.addEventListener("DOMContentLoaded", () => {
    panels().forEach(readSkew);
    tick();
    setInterval(tick, 1000);
  });
})();
