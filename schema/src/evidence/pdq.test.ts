/**
 * PDQ against facebook/ThreatExchange's test images (pdq-vectors/README.md).
 *
 * PDQ's README calls an implementation correct when (1) fed the same pixels as
 * the C++ reference it gives the very same hash, and (2) where quality ≥ 80 its
 * hashes are within 10 bits of the reference's (decoders differ). So:
 *   - `reference`: what the C++ reference library (pdq/cpp/hashing, built
 *     outside this repo; README says how) gives for the pixels jpeg-js decodes:
 *     we must match it exactly, hash and quality;
 *   - `published`: the hashes ThreatExchange's own tests expect, made with other
 *     decoders (Java ImageIO, Python PIL, the WebAssembly build): we assert the
 *     distance we measured (jpeg-js is pinned), and the README's ≤ 10 where the
 *     quality is ≥ 80.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import jpeg from "jpeg-js";
import { describe, expect, it } from "vitest";
import { PdqInputError, pdqFloat256, pdqHammingDistance, pdqHash } from "./pdq.ts";

interface Published {
  /** Which ThreatExchange test expects it. */
  by: "java" | "python" | "wasm";
  hash: string;
  /** Bits our hash of jpeg-js's pixels differs by (measured once; the decoders differ). */
  distance: number;
}

interface Vector {
  file: string;
  sha256: string;
  width: number;
  height: number;
  reference: { hash: string; quality: number };
  published: Published[];
}

/** pdq/java/src/test/java/hasher/pdqhashing/PDQHasherTest.java */
const JAVA = "java";
/** pdq/python/pdqhashing/tests/pdq_test.py */
const PYTHON = "python";
/** pdq/wasm/test/TestData/PDQMD5TestData.csv */
const WASM = "wasm";

const VECTORS: Vector[] = [
  {
    file: "bridge-1-original.jpg", sha256: "b5b0799616df52d475a3968dc7e54f1d0724c912244ffa6175bc786375dd7298", width: 1600, height: 1004,
    reference: { hash: "f8f8f0cee0f4a84f06370a22038f67f0b36e2ed596221e1d33e6b39c4e9c9b22", quality: 100 },
    // Python's test value is of a 512-pixel thumbnail, not of the pixels given, so it is not compared here.
    published: [{ by: JAVA, hash: "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22", distance: 2 }],
  },
  {
    file: "square-128x128.jpg", sha256: "9428e7578052968561f8e6f4a1114f1eaed57d659e7dd03be70d4ece371bbc15", width: 128, height: 128,
    reference: { hash: "d8f8f1eec0f4a84f0e37022a078f63f0b36e2ed596621e1d33e6239c4e9c9b22", quality: 100 },
    published: [{ by: WASM, hash: "d8f8f1eec0f4a84f0e37022a078f63f0b36e2ed596621e1d33e6239c4e9c9b22", distance: 0 }],
  },
  {
    file: "square-256x256.jpg", sha256: "3327d0c23446434767c9240b8ab230eca516ec788db1f82869a20fb51294b56c", width: 256, height: 256,
    reference: { hash: "d8f8f0cec4f4a84f0637022a078f67f0b36e2ee5b6621e1d33e6239c4e9c9b22", quality: 100 },
    published: [{ by: WASM, hash: "d8f8f0cec4f4a84f0637022a078f67f0b36e2ee5b6621e1d33e6239c4e9c9b22", distance: 0 }],
  },
  {
    file: "shrink-a-lot.jpg", sha256: "b5711c814bea20d2f24703680393c1dfb3f41b4da5624c00da0d64bf71a12461", width: 160, height: 100,
    reference: { hash: "d0f8f1ccc0f4a84d0a370a3a228f67f0b36e2ed5b6623e1d33e6339c4e9c9b22", quality: 100 },
    published: [{ by: WASM, hash: "d0f8f1ccc0f4a84d0a370a3a228f67f0b36e2ed5b6623e1d33e6339c4e9c9b22", distance: 0 }],
  },
  {
    file: "small.jpg", sha256: "329479790610cd0a2668eea439374cf279ef58d7330400dbb4e3569429ef5e3d", width: 224, height: 399,
    reference: { hash: "0007001f003f003f007f00ff00ff00ff01ff01ff01ff03ff03ff03ff03ff03ff", quality: 0 },
    published: [
      { by: PYTHON, hash: "0007001f003f003f007f00ff00ff00ff01ff01ff01ff03ff03ff03ff03ff03ff", distance: 0 },
      { by: WASM, hash: "0007001f003f003f007f00ff00ff00ff01ff01ff01ff03ff03ff03ff03ff03ff", distance: 0 },
    ],
  },
  {
    file: "wee.jpg", sha256: "05636c50d0c2ffe3a820f964eaba35b404deadd10538fe452ad9fb16fdd823d7", width: 34, height: 42,
    reference: { hash: "6227401f601ff4ccafcc9fad4b0d95d371a2eb7265a3285234d228ca94deeb2d", quality: 100 },
    published: [
      { by: PYTHON, hash: "6227401f601ff4ccafcc9fad4b0d95d371a2eb7265a3285234d228ca94deeb2d", distance: 0 },
      { by: WASM, hash: "6227401f601ff4ccafcc9fad4b0d95d371a2eb7265a3285234d228ca94deeb2d", distance: 0 },
    ],
  },
  {
    // Quality 3: a nearly flat picture, whose bits are noise; PDQ's README says to discard hashes of quality ≤ 49.
    file: "q0003.jpg", sha256: "9f93a23582535bc62088240e38ee050c9c0e2eed5c4741339b8415bf04a0604e", width: 256, height: 256,
    reference: { hash: "54a1fec701f1541c211b53b76c5521798983553b4c4174bca8a5d5af86e1f5ef", quality: 3 },
    published: [{ by: PYTHON, hash: "54a977c221d14c1c43ba5e6e21d4a13989a3553f1462611cbb85fda7be83b677", distance: 64 }],
  },
  {
    file: "q0004.jpg", sha256: "d517f25c0142f9d897a00959acc16ac2a67cf20ade0997bb5ab378f607ab7f3b", width: 256, height: 256,
    reference: { hash: "994d44af36d6976cb6f81258190cbe413def2746d5398c6d43466c9abcc65992", quality: 4 },
    published: [{ by: PYTHON, hash: "992d44af36d69e6ca6b812585928bac11def254ef5398c6d07466c9abcc65b92", distance: 18 }],
  },
  {
    file: "q0122.jpg", sha256: "3e7b6b95d72f6ea61c0e6c3f2a4afc7c78ee2ab08b9ac51c58388e50deb139e9", width: 256, height: 256,
    reference: { hash: "cfb2009ddd21c3cab0846a7f45a5984f17a8a4535bb377aea2591d32a33ff940", quality: 100 },
    published: [{ by: PYTHON, hash: "cfb2009ddd21c6dab0046a7745b5984757a8a4535b3377aea2591d32b33ff940", distance: 10 }],
  },
  {
    file: "q0291.jpg", sha256: "25db315820a1faee9bc4a8086914f4c6fcb818448a0e1a707fe160bb67818846", width: 256, height: 256,
    reference: { hash: "a0fe94f1e5cc1cc8dd855948498dc9243f7ca27336f036d7f212b74bc103c9a7", quality: 100 },
    published: [{ by: PYTHON, hash: "a0fe94f1e5cc1cc8dd855948498dc9243f7ca27336f036d7f212b74bc103c9a7", distance: 0 }],
  },
  {
    file: "q0746.jpg", sha256: "acf23ed39052296ed032981dcdc063a1e442691be54e2927043a08f97675a1f1", width: 256, height: 256,
    reference: { hash: "1049d96239ea4d4d8a2c55512b8bdb73525f4dbcf575a0a95555aaab5554aaaa", quality: 100 },
    published: [{ by: PYTHON, hash: "1049d96239e24d4dca2c55512b8bdb77425f4dbcf575a0a95555aaab5554aaaa", distance: 4 }],
  },
  {
    file: "q1050.jpg", sha256: "e570fd8266489c94f1da079da69e62c24e90851c424e5a26f63ebdd13f0e51a4", width: 256, height: 256,
    reference: { hash: "489db672e9190276d452aeab41eba20f02375fe4092d88defdf491a5c55c5f70", quality: 100 },
    published: [{ by: PYTHON, hash: "489db672e9190276d452aeab41eba20f02375fe4092d88defdf491a5c55c5f70", distance: 0 }],
  },
  {
    file: "q2821.jpg", sha256: "418b85299aa697927c29ff139280a988ec3c44df540a35c221dcb0fcf8051fcd", width: 256, height: 256,
    reference: { hash: "b150231ffae4710ffcf4f18bb574b109a576f14bb8543189f8743289f174b109", quality: 100 },
    published: [{ by: PYTHON, hash: "b150231ffae4710ffcf4f18bb574b109a576f14bb8543189f8743289f174b109", distance: 0 }],
  },
];

/** PDQ's README: a correct implementation is within this of the reference where quality ≥ 80. */
const README_TOLERANCE = 10;

function decode(file: string, formatAsRGBA: boolean): { width: number; height: number; data: Uint8Array; bytes: Buffer } {
  const bytes = readFileSync(new URL(`./pdq-vectors/${file}`, import.meta.url));
  const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA });
  return { width: image.width, height: image.height, data: image.data, bytes };
}

describe("PDQ against ThreatExchange's test images", () => {
  it.each(VECTORS)("$file: the C++ reference's hash and quality for the same pixels, exactly", (vector) => {
    const image = decode(vector.file, true);
    expect(createHash("sha256").update(image.bytes).digest("hex")).toBe(vector.sha256);
    expect([image.width, image.height]).toEqual([vector.width, vector.height]);
    expect(pdqHash(image)).toEqual(vector.reference);
  });

  it.each(VECTORS)("$file: the distances to ThreatExchange's published hashes", (vector) => {
    const { hash, quality } = pdqHash(decode(vector.file, true));
    for (const published of vector.published) {
      const distance = pdqHammingDistance(hash, published.hash);
      expect({ by: published.by, distance }).toEqual({ by: published.by, distance: published.distance });
      if (quality >= 80) expect(distance).toBeLessThanOrEqual(README_TOLERANCE);
    }
  });

  // The bits hide small numeric slips (a bit flips only where a coefficient is near the median), so the 16×16
  // 32-bit float coefficients are compared too: SHA-256 of their 1,024 little-endian bytes from the C++ reference.
  it.each([
    ["wee.jpg", "c99b9b35c91c8b5a7ca9f6dc4a036d73554f633be4e40e6fd992a54fb6fad71c"],
    ["q0746.jpg", "c682e089af06bb89a39abf936319d25f5806b06bf2508ab236788f666f64b4bf"],
    ["bridge-1-original.jpg", "3a43aeec8692b584d7e2c633f4b66b11360776a2d3ef1551e82134c4e9f414b1"],
  ])("%s: the C++ reference's DCT coefficients, bit for bit", (file, sha256) => {
    const { coefficients } = pdqFloat256(decode(file, true));
    const bytes = Buffer.from(coefficients.buffer, coefficients.byteOffset, coefficients.byteLength);
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(sha256);
  });

  it("reads RGB as it reads RGBA (the alpha byte is ignored)", () => {
    const rgba = decode("q0746.jpg", true);
    const rgb = decode("q0746.jpg", false);
    expect(rgb.data.length).toBe(rgb.width * rgb.height * 3);
    const transparent = Uint8Array.from(rgba.data, (value, k) => (k % 4 === 3 ? 0 : value));
    expect(pdqHash(rgb)).toEqual(pdqHash(rgba));
    expect(pdqHash({ ...rgba, data: transparent })).toEqual(pdqHash(rgba));
  });

  it("tells apart different pictures and matches a shrunk copy", () => {
    const original = pdqHash(decode("bridge-1-original.jpg", true)).hash;
    // ThreatExchange's shrunk copy of the same bridge: within the README's match threshold (≤ 31).
    const shrunk = pdqHammingDistance(original, pdqHash(decode("shrink-a-lot.jpg", true)).hash);
    expect(shrunk).toBe(16);
    expect(shrunk).toBeLessThanOrEqual(31);
    // Two unrelated pictures: about half the bits.
    expect(pdqHammingDistance(original, pdqHash(decode("q1050.jpg", true)).hash)).toBeGreaterThan(90);
  });
});

describe("PDQ's edges", () => {
  it("refuses what it cannot hash, with a clear error", () => {
    expect(() => pdqHash({ width: 4, height: 100, data: new Uint8Array(4 * 100 * 4) })).toThrow(PdqInputError);
    expect(() => pdqHash({ width: 10, height: 10, data: new Uint8Array(10 * 10 * 2) })).toThrow(/neither RGBA nor RGB/);
    expect(() => pdqHash({ width: 10.5, height: 10, data: new Uint8Array(0) })).toThrow(PdqInputError);
  });

  it("gives a flat image quality 0", () => {
    expect(pdqHash({ width: 64, height: 64, data: new Uint8Array(64 * 64 * 4).fill(200) }).quality).toBe(0);
  });

  it("counts differing bits", () => {
    const zero = "0".repeat(64);
    expect(pdqHammingDistance(zero, zero)).toBe(0);
    expect(pdqHammingDistance(zero, "f".repeat(64))).toBe(256);
    expect(pdqHammingDistance(zero, `8${"0".repeat(62)}1`)).toBe(2);
    expect(pdqHammingDistance("F".repeat(64), "f".repeat(64))).toBe(0);
    expect(() => pdqHammingDistance(zero, "xyz")).toThrow(PdqInputError);
  });
});
