// Coordinates from an address through a Nominatim-compatible service (GEOCODER_URL). Optional:
// without it, people enter coordinates or pick the point on the map, so nothing needs the internet.
import { type Ctx, requirePermission } from "../context";
import { DomainError, invalid } from "../errors";

export interface GeocodeCandidate {
  label: string;
  lat: number;
  lng: number;
}

const TIMEOUT_MS = 5_000;
const MAX_CANDIDATES = 5;

/** Up to five places the service finds for the address, best first; a clear error when it cannot answer. */
export async function geocodeAddress(
  ctx: Ctx,
  geocoderUrl: string | undefined,
  address: string,
): Promise<GeocodeCandidate[]> {
  requirePermission(ctx.actor, "fsm.manage");
  if (!geocoderUrl)
    throw new DomainError(
      422,
      "Unprocessable Entity",
      "No geocoding service is configured (GEOCODER_URL): enter the coordinates or pick the point on the map.",
    );
  const text = address.trim();
  if (!text) throw invalid({ address: "Give the address to look up." });
  const url = new URL("search", geocoderUrl.endsWith("/") ? geocoderUrl : `${geocoderUrl}/`);
  url.search = new URLSearchParams({
    q: text.slice(0, 500),
    format: "jsonv2",
    limit: String(MAX_CANDIDATES),
  }).toString();
  let body: unknown;
  try {
    const response = await fetch(url, {
      headers: { accept: "application/json", "user-agent": "fieldesk geocoder" },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`answered ${response.status}`);
    body = await response.json();
  } catch {
    throw new DomainError(
      502,
      "Bad Gateway",
      "The geocoding service did not answer; enter the coordinates or pick the point on the map.",
    );
  }
  return parseCandidates(body);
}

/** Nominatim answers a list of places with `lat`/`lon` as strings and a `display_name`. */
export function parseCandidates(body: unknown): GeocodeCandidate[] {
  if (!Array.isArray(body)) return [];
  const found: GeocodeCandidate[] = [];
  for (const place of body.slice(0, MAX_CANDIDATES)) {
    const lat = Number(place?.lat);
    const lng = Number(place?.lon);
    if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) continue;
    found.push({ label: String(place?.display_name ?? `${lat}, ${lng}`).slice(0, 300), lat, lng });
  }
  return found;
}
