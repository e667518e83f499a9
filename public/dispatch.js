// Dispatch board drag and drop: dropping a queued work order or a visit bar on a technician's row
// fills the assign form (technician, start rounded to 15 minutes) and submits it, so the server
// checks skills, shift, overlaps and travel exactly as it does for the form without JavaScript.
// Listeners sit on the document, so rows that live updates swap in keep working.
(() => {
  const form = document.getElementById("assign-form");
  if (!form) return;
  const SNAP = 15;
  let dragged = null;

  document.addEventListener("dragstart", (event) => {
    const item = event.target.closest?.("[data-number][draggable='true']");
    if (!item) return;
    dragged = item;
    // Live refreshes of the board wait while something is being dragged.
    document.body.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.dataset.number);
  });

  const lineOf = (event) => event.target.closest?.("[data-drop-technician]");

  document.addEventListener("dragover", (event) => {
    const line = lineOf(event);
    if (!line || !dragged) return;
    event.preventDefault();
    for (const other of document.querySelectorAll(".drop-target"))
      if (other !== line) other.classList.remove("drop-target");
    line.classList.add("drop-target");
  });

  document.addEventListener("drop", (event) => {
    const line = lineOf(event);
    if (!line || !dragged) return;
    event.preventDefault();
    const box = line.getBoundingClientRect();
    const from = Number(line.dataset.gridFrom);
    const to = Number(line.dataset.gridTo);
    const days = Number(line.dataset.days || "1");
    // A week row is seven day columns of the same hours side by side.
    const across = Math.min(0.9999, Math.max(0, (event.clientX - box.left) / box.width)) * days;
    const dayIndex = Math.floor(across);
    const minute = Math.round((from + (across - dayIndex) * (to - from)) / SNAP) * SNAP;
    const date = new Date(Date.parse(`${line.dataset.day}T00:00:00Z`) + dayIndex * 86400000)
      .toISOString()
      .slice(0, 10);
    const hh = String(Math.floor(minute / 60)).padStart(2, "0");
    const mm = String(minute % 60).padStart(2, "0");
    form.elements.workOrder.value = dragged.dataset.number;
    form.elements.technicianId.value = line.dataset.dropTechnician;
    form.elements.startsAt.value = `${date}T${hh}:${mm}`;
    form.elements.minutes.value = dragged.dataset.minutes || "120";
    form.elements.appointmentId.value = dragged.dataset.appointment || "";
    dragged = null;
    form.requestSubmit();
  });

  document.addEventListener("dragend", () => {
    document.body.classList.remove("dragging");
    for (const other of document.querySelectorAll(".drop-target")) other.classList.remove("drop-target");
  });
})();
