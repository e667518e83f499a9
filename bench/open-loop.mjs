// Open-loop load at a steady arrival rate, run under Node as a process of its own (like autocannon):
//   node bench/open-loop.mjs --url URL --rate 50 --duration 10 [--method POST] [--header k=v]… [--body S]
// Request i is due at start + i/rate whether or not earlier answers have come back, and its latency
// is counted from that due time, so a server that falls behind is charged for the wait (no
// coordinated omission). autocannon's --overallRate instead lets every connection send its share at
// the top of each second: a burst of up to 32 requests a second, which measures bursts, not a rate.
// Prints one JSON object: { rate, sent, ok, errors, non2xx, latency: { p50, p90, p95, p97_5, p99, max } }.
import http from "node:http";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    url: { type: "string" },
    rate: { type: "string", default: "50" },
    duration: { type: "string", default: "10" },
    method: { type: "string", default: "GET" },
    header: { type: "string", multiple: true, default: [] },
    body: { type: "string" },
  },
});
const url = new URL(args.url);
const rate = Number(args.rate);
const total = Math.round(rate * Number(args.duration));
const headers = Object.fromEntries(
  args.header.map((h) => [h.slice(0, h.indexOf("=")), h.slice(h.indexOf("=") + 1)]),
);
if (args.body) headers["content-length"] = Buffer.byteLength(args.body);
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

const latencies = [];
let errors = 0;
let non2xx = 0;

function send(dueAt) {
  return new Promise((resolve) => {
    const request = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: args.method,
        headers,
      },
      (response) => {
        response.resume();
        response.on("end", () => {
          if (response.statusCode < 200 || response.statusCode > 299) non2xx++;
          latencies.push(performance.now() - dueAt);
          resolve();
        });
      },
    );
    request.on("error", () => {
      errors++;
      resolve();
    });
    if (args.body) request.write(args.body);
    request.end();
  });
}

const started = performance.now();
const pending = [];
for (let i = 0; i < total; i++) {
  const dueAt = started + (i * 1000) / rate;
  const wait = dueAt - performance.now();
  if (wait > 1) await new Promise((r) => setTimeout(r, wait));
  pending.push(send(dueAt));
}
await Promise.all(pending);
agent.destroy();

latencies.sort((a, b) => a - b);
const at = (q) =>
  Number((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0).toFixed(1));
console.log(
  JSON.stringify({
    rate,
    sent: total,
    ok: latencies.length - non2xx,
    errors,
    non2xx,
    latency: { p50: at(0.5), p90: at(0.9), p95: at(0.95), p97_5: at(0.975), p99: at(0.99), max: at(1) },
  }),
);
