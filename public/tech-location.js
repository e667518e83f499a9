// Loaded on /tech pages only after the technician ticked "Share my location" (the server decides
// whether to include it). Reports the phone's position at most once a minute, or sooner after a
// move of more than 200 m; the server ignores reports off shift and refuses them without consent.
(() => {
  if (!navigator.geolocation) return;
  const csrf = document.querySelector('meta[name="csrf-token"]')?.getAttribute("content") || "";
  const status = document.getElementById("location-status");
  const EVERY_MS = 60_000;
  const MOVED_M = 200;
  let last = null;
  let watch = null;

  const metres = (a, b) => {
    const rad = Math.PI / 180;
    const dLat = (b.lat - a.lat) * rad;
    const dLng = (b.lng - a.lng) * rad;
    const h =
      Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
    return 2 * 6371000 * Math.asin(Math.min(1, Math.sqrt(h)));
  };

  const send = async (here) => {
    const body = new URLSearchParams({
      lat: String(here.lat),
      lng: String(here.lng),
      accuracy: String(Math.round(here.accuracy || 0)),
    });
    try {
      const response = await fetch("/tech/location", {
        method: "POST",
        headers: { "X-CSRF-Token": csrf },
        body,
        credentials: "same-origin",
      });
      // Consent withdrawn (on another page or phone): stop asking the phone at once.
      if (response.status === 409 && watch !== null) navigator.geolocation.clearWatch(watch);
      if (status && response.ok) status.textContent = "Last sent just now.";
    } catch {
      // Offline: the next position tries again.
    }
  };

  watch = navigator.geolocation.watchPosition(
    (position) => {
      const here = {
        lat: position.coords.latitude,
        lng: position.coords.longitude,
        accuracy: position.coords.accuracy,
        at: Date.now(),
      };
      if (last && here.at - last.at < EVERY_MS && metres(last, here) < MOVED_M) return;
      last = here;
      send(here);
    },
    () => {
      if (status) status.textContent = "The phone did not give its position; check its location setting.";
    },
    { enableHighAccuracy: true, maximumAge: 30_000, timeout: 60_000 },
  );
})();
