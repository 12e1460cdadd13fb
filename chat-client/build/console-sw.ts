/**
 * Copies the console's service worker (`console-sw.js`, plain JavaScript) to `dist/console/sw.js`,
 * unhashed: a service worker's URL is its identity, and the homeserver serves it at `/console/sw.js`
 * with the app's other files (docs/CRISIS.md "Push").
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Plugin } from "vite";

export function consoleServiceWorker(): Plugin {
  let root = "";
  return {
    name: "onsafe-console-sw",
    apply: "build",
    configResolved(config) {
      root = config.root;
    },
    generateBundle() {
      this.emitFile({ type: "asset", fileName: "console/sw.js", source: readFileSync(resolve(root, "console-sw.js"), "utf8") });
    },
  };
}
