/**
 * Writes `.br` and `.gz` beside every built text and wasm asset, so the
 * homeserver serves them compressed without compressing per request
 * (the crypto wasm is 7.8 MB raw, about 1.4 MB as brotli).
 *
 * Brotli at quality 11 takes about 16 s for the wasm alone, which is the same
 * file in every build: results are cached by content hash in
 * `node_modules/.cache/onsafe-precompress/`, so only changed files are compressed.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import type { Plugin } from "vite";

const COMPRESSIBLE = /\.(js|css|html|wasm|svg|json|txt)$/;

const ENCODINGS = {
  br: (raw: Buffer) => brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
  gz: (raw: Buffer) => gzipSync(raw, { level: 9 }),
};

export function precompress(): Plugin {
  let outDir = "";
  let cacheDir = "";
  return {
    name: "onsafe-precompress",
    apply: "build",
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
      cacheDir = join(config.root, "node_modules", ".cache", "onsafe-precompress");
    },
    closeBundle() {
      mkdirSync(cacheDir, { recursive: true });
      for (const file of walk(outDir)) {
        if (!COMPRESSIBLE.test(file)) continue;
        const raw = readFileSync(file);
        const hash = createHash("sha256").update(raw).digest("hex");
        for (const [suffix, compress] of Object.entries(ENCODINGS)) {
          const cached = join(cacheDir, `${hash}.${suffix}`);
          if (!existsSync(cached)) writeFileSync(cached, compress(raw));
          writeFileSync(`${file}.${suffix}`, readFileSync(cached));
        }
      }
    },
  };
}

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}
