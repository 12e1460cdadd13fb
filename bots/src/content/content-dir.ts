/**
 * Where the bots' data files live (`bots/content/`): question bank, messages,
 * crisis lines. Found from this module upwards, so it works both from the
 * TypeScript sources and from the bundled `dist/main.js`.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findContentDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "content", "crisis-lines.json"))) return join(dir, "content");
    const parent = dirname(dir);
    if (parent === dir) throw new Error("bots/content/ not found");
    dir = parent;
  }
}

export const CONTENT_DIR = findContentDir();

export function contentPath(name: string): string {
  return join(CONTENT_DIR, name);
}
