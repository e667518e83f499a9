// npm run bench:photos [-- --runs 5]
//
// Times what the server does with a technician's photo (src/domain/fsm/photos.ts processPhoto:
// decode, turn upright, scale to 1600 px, re-encode without EXIF, thumbnail) for a 12-megapixel
// camera JPEG of noisy content (about as hard to compress as a real photo), one at a time and four
// uploaded at once, and samples the process's resident memory meanwhile. Figures only.
import { parseArgs } from "node:util";
import sharp from "sharp";
import { processPhoto } from "../src/domain/fsm/photos";

const { values: args } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
const runs = Number(args.runs);

const width = 4000;
const height = 3000;
const noise = new Uint8Array(width * height * 3);
for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
const photo = await sharp(noise, { raw: { width, height, channels: 3 } })
  .blur(1.2)
  .jpeg({ quality: 90 })
  .withMetadata({ orientation: 6 })
  .toBuffer();
console.log(`input: ${width}×${height} JPEG, ${(photo.length / 1048576).toFixed(1)} MB`);

let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 5);
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;

await processPhoto(photo); // warm-up
const baseline = process.memoryUsage().rss;
const single: number[] = [];
for (let i = 0; i < runs; i++) {
  const started = performance.now();
  await processPhoto(photo);
  single.push(performance.now() - started);
}
single.sort((a, b) => a - b);
console.log(
  `one at a time: median ${single[Math.floor(runs / 2)].toFixed(0)} ms, max ${single.at(-1)!.toFixed(0)} ms`,
);

peak = 0;
const started = performance.now();
await Promise.all([1, 2, 3, 4].map(() => processPhoto(photo)));
const four = performance.now() - started;
clearInterval(sampler);
console.log(`four at once: all done in ${four.toFixed(0)} ms (${(four / 4).toFixed(0)} ms each on average)`);
console.log(`resident memory: ${mb(baseline)} before, peak ${mb(peak)} while four were processed`);
