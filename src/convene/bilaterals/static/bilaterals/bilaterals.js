// Bilateral schedule: drag a meeting onto another room and time. The drop posts the same
// form as the meeting's own page ("Place a meeting"), so the server checks it the same way.
(() => {
  const chipSelector = "a.bil-chip[draggable=true]";
  let dragged = null;

  document.addEventListener("dragstart", (event) => {
    const chip = event.target.closest && event.target.closest(chipSelector);
    if (!chip) return;
    dragged = chip;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", chip.dataset.request);
  });
  document.addEventListener("dragend", () => {
    dragged = null;
    document.querySelectorAll(".bil-drop").forEach((c) => c.classList.remove("bil-drop"));
  });
  document.addEventListener("dragover", (event) => {
    const cell = event.target.closest && event.target.closest("td.bil-cell");
    if (!dragged || !cell) return;
    event.preventDefault();
    document.querySelectorAll(".bil-drop").forEach((c) => c !== cell && c.classList.remove("bil-drop"));
    cell.classList.add("bil-drop");
  });
  document.addEventListener("drop", (event) => {
    const cell = event.target.closest && event.target.closest("td.bil-cell");
    if (!dragged || !cell) return;
    event.preventDefault();
    const token = document.querySelector("input[name=csrfmiddlewaretoken]");
    const form = document.createElement("form");
    form.method = "post";
    form.action = dragged.getAttribute("href");
    const fields = { room: cell.dataset.room, start_slot: cell.dataset.slot, from: "grid",
                     csrfmiddlewaretoken: token ? token.value : "" };
    for (const [name, value] of Object.entries(fields)) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      form.appendChild(input);
    }
    document.body.appendChild(form);
    form.submit();
  });
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
  document.addEventListener("focusin", (event) => {
    if (event.target.matches && event.target.matches("[data-select-on-focus]")) event.target.select();
  });
})();
