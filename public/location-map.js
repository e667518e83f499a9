// Service location form: a map to place the point. Clicking the map (or dragging the marker) writes
// the latitude and longitude fields; typing in them moves the marker. Without JavaScript the fields
// alone do the job.
(() => {
  const element = document.getElementById("location-map");
  const latInput = document.getElementById("lat");
  const lngInput = document.getElementById("lng");
  if (!element || !latInput || !lngInput || !window.L) return;
  element.textContent = "";
  const map = L.map(element, { zoomSnap: 0.5 });
  if (element.dataset.tiles) {
    L.tileLayer(element.dataset.tiles, {
      maxZoom: 19,
      attribution: "&copy; OpenStreetMap contributors",
    }).addTo(map);
  }
  const typed = () => {
    const lat = Number.parseFloat(latInput.value);
    const lng = Number.parseFloat(lngInput.value);
    return Number.isFinite(lat) && Number.isFinite(lng) && Math.abs(lat) <= 90 && Math.abs(lng) <= 180
      ? [lat, lng]
      : null;
  };
  let marker = null;
  const place = (point) => {
    if (marker) marker.setLatLng(point);
    else {
      marker = L.marker(point, { draggable: true }).addTo(map);
      marker.on("dragend", () => write(marker.getLatLng()));
    }
  };
  const write = (point) => {
    latInput.value = point.lat.toFixed(6);
    lngInput.value = point.lng.toFixed(6);
  };
  const start = typed();
  // Peninsular Malaysia and Borneo when nothing is entered yet.
  if (start) {
    map.setView(start, 15);
    place(start);
  } else map.setView([4.2, 108.0], 5);
  map.on("click", (event) => {
    place(event.latlng);
    write(event.latlng);
  });
  for (const input of [latInput, lngInput])
    input.addEventListener("change", () => {
      const point = typed();
      if (point) {
        place(point);
        map.panTo(point);
      }
    });
})();
