// The only place that reads process.env. Everything else receives a Config.
import { resolve } from "node:path";

export interface Config {
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  demo: boolean;
  demoPassword: string;
  inboundSmtpPort: number | undefined;
  smtpUrl: string | undefined;
  hfToken: string | undefined;
  hfEndpointUrl: string | undefined;
  osrmUrl: string | undefined;
  geocoderUrl: string | undefined;
  mapTilesUrl: string;
  maxUploadBytes: number;
  /** Webhooks may target private and loopback addresses in every organization (trusted networks, tests). */
  webhooksAllowPrivate: boolean;
}

function intOrUndefined(value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number.parseInt(value, 10);
  if (!Number.isFinite(n)) throw new Error(`Expected a number, got "${value}"`);
  return n;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  return {
    port: intOrUndefined(env.PORT) ?? 3000,
    dataDir: resolve(env.DATA_DIR || "./data"),
    databaseUrl: env.DATABASE_URL || undefined,
    demo: (env.DEMO ?? "1") !== "0",
    demoPassword: env.DEMO_PASSWORD || "demo12345",
    inboundSmtpPort: intOrUndefined(env.INBOUND_SMTP_PORT),
    smtpUrl: env.SMTP_URL || undefined,
    hfToken: env.HF_TOKEN || undefined,
    hfEndpointUrl: env.HF_ENDPOINT_URL || undefined,
    osrmUrl: env.OSRM_URL || undefined,
    geocoderUrl: env.GEOCODER_URL || undefined,
    mapTilesUrl: env.MAP_TILES_URL || "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    maxUploadBytes: (intOrUndefined(env.MAX_UPLOAD_MB) ?? 25) * 1024 * 1024,
    webhooksAllowPrivate: env.WEBHOOKS_ALLOW_PRIVATE === "1",
  };
}
