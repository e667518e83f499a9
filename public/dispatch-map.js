// Dispatch board map: technicians' start points, their routes through the day's visits in order,
// the jobs waiting for a visit, and where technicians who share their location were last seen
// (refreshed live when a position moves). Markers are circles drawn by Leaflet, so the map still
// shows them when the tile server (MAP_TILES_URL) cannot be reached.
(() => {
  const element = document.getElementById("dispatch-map");
  if (!element || !window.L) return;
  // The data sits in a JSON script element named by data-map (user text stays out of attributes).
  const source = document.getElementById(element.dataset.map || "");
  const data = JSON.parse(source?.textContent || "{}");
  element.textContent = "";
  const map = L.map(element, { zoomSnap: 0.5 });
  if (element.dataset.tiles) {
    L.tileLayer(element.dataset.tiles, {
      maxZoom: 18,
      attribution: "&copy; OpenStreetMap contributors",
    }).addTo(map);
  }
  // Names and subjects are user text: tooltips get text nodes, never HTML.
  const label = (text) => {
    const span = document.createElement("span");
    span.textContent = text;
    return span;
  };
  const bounds = [];
  const colours = ["#2563eb", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#be123c"];
  (data.technicians || []).forEach((tech, index) => {
    const colour = colours[index % colours.length];
    const points = [];
    if (tech.home) {
      points.push([tech.home.lat, tech.home.lng]);
      L.circleMarker([tech.home.lat, tech.home.lng], { radius: 6, color: colour, fillOpacity: 1 })
        .bindTooltip(label(tech.name))
        .addTo(map);
    }
    for (const stop of tech.route) {
      points.push([stop.lat, stop.lng]);
      L.circleMarker([stop.lat, stop.lng], { radius: 5, color: colour, fillOpacity: 0.4 })
        .bindTooltip(label(`${tech.name}: ${stop.label}`))
        .addTo(map);
    }
    if (points.length > 1) L.polyline(points, { color: colour, weight: 2 }).addTo(map);
    bounds.push(...points);
  });
  for (const job of data.queue || []) {
    L.circleMarker([job.lat, job.lng], {
      radius: 5,
      color: job.priority === "urgent" ? "#dc2626" : "#6b7280",
    })
      .bindTooltip(label(job.label))
      .addTo(map);
    bounds.push([job.lat, job.lng]);
  }

  // Last known positions: a black-ringed dot per technician, its tooltip saying how old it is.
  const positions = L.layerGroup().addTo(map);
  const drawPositions = (list) => {
    positions.clearLayers();
    for (const p of list) {
      L.circleMarker([p.lat, p.lng], {
        radius: 8,
        color: "#111827",
        weight: 3,
        fillColor: "#facc15",
        fillOpacity: 1,
      })
        .bindTooltip(label(`${p.name} · ${p.age}`))
        .addTo(positions);
    }
  };
  drawPositions(data.positions || []);
  for (const p of data.positions || []) bounds.push([p.lat, p.lng]);

  if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 12 });
  else map.setView([4.2, 108], 5);

  // The board's live stream says when a position moved; fetch them again, at most every 5 s.
  const live = document.getElementById("live");
  const url = element.dataset.positions;
  if (!live || !url) return;
  let pending = null;
  live.addEventListener("positions-changed", () => {
    if (pending) return;
    pending = setTimeout(async () => {
      pending = null;
      try {
        const response = await fetch(url, { credentials: "same-origin" });
        if (response.ok) drawPositions(await response.json());
      } catch {
        // The next change tries again.
      }
    }, 5000);
  });
})();
