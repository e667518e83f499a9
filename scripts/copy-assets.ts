// Copies the browser libraries from node_modules into public/vendor/ so the app serves them
// itself (never from a CDN). Runs on postinstall and before every `npm test`, so it only writes
// files whose content changed. Paths resolve from this file, so any working directory works.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";

const root = join(import.meta.dir, "..");
const modules = join(root, "node_modules");
const vendor = join(root, "public", "vendor");

/** [source under node_modules, target under public/vendor] */
const files: [string, string][] = [
  ["htmx.org/dist/htmx.min.js", "htmx.min.js"],
  ["htmx.org/dist/ext/hx-sse.min.js", "hx-sse.min.js"],
  ["alpinejs/dist/cdn.min.js", "alpine.min.js"],
  // leaflet.css loads its icons from `images/` next to itself.
  ["leaflet/dist/leaflet.js", "leaflet.js"],
  ["leaflet/dist/leaflet.css", "leaflet.css"],
  ...readdirSync(join(modules, "leaflet/dist/images")).map((name): [string, string] => [
    `leaflet/dist/images/${name}`,
    `images/${name}`,
  ]),
];

function identical(a: string, b: string): boolean {
  if (!existsSync(b)) return false;
  if (statSync(a).size !== statSync(b).size) return false;
  return readFileSync(a).equals(readFileSync(b));
}

let copied = 0;
for (const [from, to] of files) {
  const source = join(modules, from);
  const target = join(vendor, to);
  if (!existsSync(source)) {
    console.error(`copy-assets: missing ${relative(root, source)} (run npm install)`);
    process.exit(1);
  }
  if (identical(source, target)) continue;
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(source, target);
  copied++;
}

console.log(
  copied
    ? `copy-assets: ${copied} of ${files.length} files copied to public/vendor`
    : `copy-assets: ${files.length} files up to date`,
);
