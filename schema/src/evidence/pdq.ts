/**
 * PDQ, Meta's perceptual image hash (issue 23: an image in the evidence ledger
 * carries one, so a copy re-encoded or resized by a platform can be matched to
 * it, as StopNCII and Take It Down do). Written here from the published
 * algorithm, with no dependencies, so the victim app, the console (browsers)
 * and the Node verifier hash an image on the device that holds it.
 *
 * Read for the facts (not copied) in facebook/ThreatExchange:
 *   pdq/cpp/hashing/pdqhashing.cpp, pdq/cpp/downscaling/downscaling.cpp,
 *   pdq/cpp/hashing/torben.cpp, pdq/cpp/common/pdqhashtypes.cpp,
 *   pdq/java/src/main/java/pdqhashing/hasher/PDQHasher.java,
 *   pdq/python/pdqhashing/hasher/pdq_hasher.py
 * and the description pdqhash-2017-10-09.pdf they point to.
 *
 * The steps: luminance Y = 0.299 R + 0.587 G + 0.114 B; two X-then-Y passes of
 * a 1-D box filter (Jarosz's tent filter) with windows of ceil(side / 128)
 * pixels; 64×64 samples at the window centres; a 2-D DCT of which the 16×16
 * lowest frequencies after DC are kept; bit = coefficient > their median; the
 * quality from the sum of quantised gradients of the 64×64 image.
 *
 * Every intermediate is a 32-bit float, rounded where the Java reference
 * rounds (Math.fround), because the bits near the median flip on rounding
 * differences; the Java reference and an independent Rust port agree bit for
 * bit on the test images, and so do we (pdq.test.ts).
 *
 * Unlike the reference command-line tools (which first shrink an image larger
 * than 512 pixels with their image library, for speed), this hashes the pixels
 * it is given at full size, as the reference's library entry points do:
 * a caller that wants the speed-up shrinks first.
 */

/** An image as a canvas or a decoder gives it: 8-bit RGBA (or RGB) pixels, rows top to bottom. */
export interface PdqImage {
  width: number;
  height: number;
  /** width × height × 4 (RGBA, alpha ignored) or width × height × 3 (RGB) bytes. */
  data: Uint8Array | Uint8ClampedArray;
}

export interface PdqResult {
  /** 256 bits as 64 lowercase hex characters, in the reference's order (row 15 of the 16×16 first). */
  hash: string;
  /** 0–100; the reference calls a hash below 50 too flat to match on (a blank or near-blank image). */
  quality: number;
}

/** Thrown for input PDQ cannot hash: the wrong number of bytes, or a side under 5 pixels. */
export class PdqInputError extends Error {
  override name = "PdqInputError";
}

/** The reference refuses (zero hash, quality 0) images with a side under this. */
export const PDQ_MIN_SIDE = 5;

const f = Math.fround;
const LUMA_R = f(0.299);
const LUMA_G = f(0.587);
const LUMA_B = f(0.114);

/** 16 rows of 64: row i is DCT basis function i + 1 (DC is skipped), scaled by sqrt(2/64). */
const DCT = (() => {
  const scale = f(Math.sqrt(2 / 64));
  const d = new Float32Array(16 * 64);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 64; j++) d[i * 64 + j] = scale * Math.cos((Math.PI / 2 / 64) * (i + 1) * (2 * j + 1));
  }
  return d;
})();

export function pdqHash(image: PdqImage): PdqResult {
  const { coefficients, quality } = pdqFloat256(image);
  return { hash: bitsToHex(coefficients), quality };
}

/**
 * The 16×16 DCT coefficients the bits are cut from (row-major) and the
 * quality: the reference's pdqFloat256FromFloatLuma. Exported so the tests can
 * compare them with the reference's bit for bit, which the 256 bits alone
 * rarely show (a bit flips only where a coefficient is close to the median).
 */
export function pdqFloat256(image: PdqImage): { coefficients: Float32Array; quality: number } {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < PDQ_MIN_SIDE || height < PDQ_MIN_SIDE) {
    throw new PdqInputError(`PDQ needs an image of at least ${PDQ_MIN_SIDE}×${PDQ_MIN_SIDE} pixels, not ${width}×${height}`);
  }
  const pixels = width * height;
  const channels = data.length === pixels * 4 ? 4 : data.length === pixels * 3 ? 3 : 0;
  if (channels === 0) {
    throw new PdqInputError(`${data.length} bytes is neither RGBA nor RGB for ${width}×${height} pixels`);
  }

  const luma = new Float32Array(pixels);
  for (let p = 0, o = 0; p < pixels; p++, o += channels) {
    luma[p] = f(f(LUMA_R * data[o]!) + f(LUMA_G * data[o + 1]!)) + f(LUMA_B * data[o + 2]!);
  }
  const scratch = new Float32Array(pixels);
  const rowWindow = jaroszWindow(width);
  const colWindow = jaroszWindow(height);
  for (let pass = 0; pass < 2; pass++) {
    boxAlongRows(luma, scratch, height, width, rowWindow);
    boxAlongCols(scratch, luma, height, width, colWindow);
  }

  const small = new Float32Array(64 * 64);
  for (let i = 0; i < 64; i++) {
    const row = Math.trunc(((i + 0.5) * height) / 64);
    for (let j = 0; j < 64; j++) small[i * 64 + j] = luma[row * width + Math.trunc(((j + 0.5) * width) / 64)]!;
  }

  return { coefficients: dct64To16(small), quality: qualityOf(small) };
}

/** Half of the pixels one of the 64 output samples covers, rounded up: two passes make the full tent. */
function jaroszWindow(side: number): number {
  return Math.trunc((side + 2 * 64 - 1) / (2 * 64));
}

/**
 * A running mean over `window` pixels centred on each one, the window shrinking
 * at the edges (the reference's four phases), summed in 32-bit floats.
 */
function box1D(input: Float32Array, output: Float32Array, start: number, length: number, stride: number, window: number): void {
  const half = Math.trunc((window + 2) / 2);
  let left = start;
  let right = start;
  let out = start;
  let sum = 0;
  let count = 0;
  for (let k = 0; k < half - 1; k++) {
    sum = f(sum + input[right]!);
    count++;
    right += stride;
  }
  for (let k = 0; k < window - half + 1; k++) {
    sum = f(sum + input[right]!);
    count++;
    output[out] = sum / count;
    right += stride;
    out += stride;
  }
  for (let k = 0; k < length - window; k++) {
    sum = f(f(sum + input[right]!) - input[left]!);
    output[out] = sum / count;
    left += stride;
    right += stride;
    out += stride;
  }
  for (let k = 0; k < half - 1; k++) {
    sum = f(sum - input[left]!);
    count--;
    output[out] = sum / count;
    left += stride;
    out += stride;
  }
}

function boxAlongRows(input: Float32Array, output: Float32Array, rows: number, cols: number, window: number): void {
  for (let i = 0; i < rows; i++) box1D(input, output, i * cols, cols, 1, window);
}

/**
 * box1D down every column, but walked a row at a time with one running sum per
 * column, so a 12-megapixel image is read in memory order; each column's sum
 * sees the same operations in the same order as box1D's, so the result is the same.
 */
function boxAlongCols(input: Float32Array, output: Float32Array, rows: number, cols: number, window: number): void {
  const half = Math.trunc((window + 2) / 2);
  const sums = new Float32Array(cols);
  let right = 0; // row added next
  let left = 0; // row subtracted next
  let out = 0; // row written next
  let count = 0;
  const add = (): void => {
    const base = right * cols;
    for (let j = 0; j < cols; j++) sums[j] = sums[j]! + input[base + j]!;
    right++;
  };
  const write = (): void => {
    const base = out * cols;
    for (let j = 0; j < cols; j++) output[base + j] = sums[j]! / count;
    out++;
  };
  for (let k = 0; k < half - 1; k++) {
    add();
    count++;
  }
  for (let k = 0; k < window - half + 1; k++) {
    add();
    count++;
    write();
  }
  for (let k = 0; k < rows - window; k++) {
    const addBase = right * cols;
    const subBase = left * cols;
    // (sum + new) rounded, then - old: the reference's order.
    for (let j = 0; j < cols; j++) sums[j] = f(sums[j]! + input[addBase + j]!) - input[subBase + j]!;
    right++;
    left++;
    write();
  }
  for (let k = 0; k < half - 1; k++) {
    const subBase = left * cols;
    for (let j = 0; j < cols; j++) sums[j] = sums[j]! - input[subBase + j]!;
    left++;
    count--;
    write();
  }
}

/**
 * The reference's heuristic: each difference of neighbouring samples as a
 * whole percentage of 255 (truncated), summed over both directions, / 90, at most 100.
 */
function qualityOf(small: Float32Array): number {
  let sum = 0;
  const step = (u: number, v: number): number => Math.abs(Math.trunc(f(f(f(u - v) * 100) / 255)));
  for (let i = 0; i < 63; i++) {
    for (let j = 0; j < 64; j++) sum += step(small[i * 64 + j]!, small[(i + 1) * 64 + j]!);
  }
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 63; j++) sum += step(small[i * 64 + j]!, small[i * 64 + j + 1]!);
  }
  return Math.min(100, Math.trunc(sum / 90));
}

/** B = D A Dᵀ, only the 16×16 wanted coefficients, in the reference's summation order. */
function dct64To16(a: Float32Array): Float32Array {
  const t = new Float32Array(16 * 64);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 64; j++) {
      let sum = 0;
      for (let k = 0; k < 64; k++) sum = f(sum + f(DCT[i * 64 + k]! * a[k * 64 + j]!));
      t[i * 64 + j] = sum;
    }
  }
  const b = new Float32Array(16 * 16);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 16; j++) {
      let sum = 0;
      for (let k = 0; k < 64; k++) sum = f(sum + f(t[i * 64 + k]! * DCT[j * 64 + k]!));
      b[i * 16 + j] = sum;
    }
  }
  return b;
}

/** Torben Mogensen's median (no sorting), as the reference computes it, in 32-bit floats. */
function torbenMedian(m: Float32Array): number {
  const n = m.length;
  let min = m[0]!;
  let max = m[0]!;
  for (let i = 1; i < n; i++) {
    if (m[i]! < min) min = m[i]!;
    if (m[i]! > max) max = m[i]!;
  }
  const halfCount = Math.trunc((n + 1) / 2);
  for (;;) {
    const guess = f(f(min + max) / 2);
    let less = 0;
    let greater = 0;
    let equal = 0;
    let maxBelow = min;
    let minAbove = max;
    for (let i = 0; i < n; i++) {
      const v = m[i]!;
      if (v < guess) {
        less++;
        if (v > maxBelow) maxBelow = v;
      } else if (v > guess) {
        greater++;
        if (v < minAbove) minAbove = v;
      } else {
        equal++;
      }
    }
    if (less <= halfCount && greater <= halfCount) {
      if (less >= halfCount) return maxBelow;
      if (less + equal >= halfCount) return guess;
      return minAbove;
    }
    if (less > greater) max = maxBelow;
    else min = minAbove;
  }
}

/** Bit 16 i + j is coefficient (i, j) > median; printed as 16 four-digit words, word 15 first. */
function bitsToHex(dct: Float32Array): string {
  const median = torbenMedian(dct);
  let hex = "";
  for (let i = 15; i >= 0; i--) {
    let word = 0;
    for (let j = 0; j < 16; j++) if (dct[i * 16 + j]! > median) word |= 1 << j;
    hex += word.toString(16).padStart(4, "0");
  }
  return hex;
}

const HASH_HEX = /^[0-9a-f]{64}$/i;

/** The number of differing bits of two PDQ hashes (0–256); the reference counts ≤ 31 as a match. */
export function pdqHammingDistance(a: string, b: string): number {
  if (!HASH_HEX.test(a) || !HASH_HEX.test(b)) throw new PdqInputError("a PDQ hash is 64 hexadecimal characters");
  let distance = 0;
  for (let k = 0; k < 64; k += 8) {
    let x = (Number.parseInt(a.slice(k, k + 8), 16) ^ Number.parseInt(b.slice(k, k + 8), 16)) >>> 0;
    while (x !== 0) {
      x &= x - 1;
      distance++;
    }
  }
  return distance;
}
