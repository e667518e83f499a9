// An optimizer run's page while it searches: shows the best figures as the server streams them
// (server-sent events) and reloads the page once the run has finished. Without JavaScript the
// page refreshes itself instead (a meta refresh inside <noscript>).
(() => {
  const box = document.getElementById("run-progress");
  if (!box || !window.EventSource) return;
  const show = (name, text) => {
    const field = box.querySelector(`[data-field="${name}"]`);
    if (field) field.textContent = text;
  };
  const duration = (seconds) => {
    const minutes = Math.round(seconds / 60);
    if (minutes < 60) return `${minutes} min`;
    return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
  };
  const source = new EventSource(box.dataset.progressUrl);
  source.addEventListener("progress", (event) => {
    const { progress } = JSON.parse(event.data);
    if (!progress) return;
    show("elapsed", (progress.elapsedMs / 1000).toFixed(1));
    show("assigned", String(progress.assigned));
    show("leftOut", String(progress.leftOut));
    show("travel", duration(progress.travel));
  });
  source.addEventListener("done", () => {
    source.close();
    window.location.replace(window.location.pathname);
  });
})();
