/**
 * PDQ of a 12-megapixel photo (4000×3000) in Node (issue 23), until the
 * Chromium measurement joins `npm run bench`:
 *   node --import tsx bench/pdq-node.ts [runs]
 * The pixels are synthetic (smooth gradients plus deterministic noise), so the
 * time is the hash's alone, not a decoder's.
 */
import { pdqHash } from "@onsafe/schema/evidence/pdq";

const WIDTH = 4000;
const HEIGHT = 3000;
const runs = Number(process.argv[2] ?? 5);

const data = new Uint8ClampedArray(WIDTH * HEIGHT * 4);
let seed = 1;
for (let y = 0, o = 0; y < HEIGHT; y++) {
  for (let x = 0; x < WIDTH; x++, o += 4) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const noise = (seed >>> 24) - 128;
    data[o] = (x * 255) / WIDTH + noise / 8;
    data[o + 1] = (y * 255) / HEIGHT + noise / 8;
    data[o + 2] = 128 + 100 * Math.sin(x / 300) * Math.cos(y / 200);
    data[o + 3] = 255;
  }
}

const times: number[] = [];
let last = "";
for (let i = 0; i < runs; i++) {
  const start = performance.now();
  const { hash, quality } = pdqHash({ width: WIDTH, height: HEIGHT, data });
  times.push(performance.now() - start);
  last = `${hash} quality ${quality}`;
}
times.sort((a, b) => a - b);
console.log(`PDQ ${WIDTH}×${HEIGHT} in Node ${process.version}: ${runs} runs, median ${times[Math.floor(runs / 2)]!.toFixed(0)} ms, min ${times[0]!.toFixed(0)} ms, max ${times[runs - 1]!.toFixed(0)} ms (${last})`);
