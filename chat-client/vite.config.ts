import { defineConfig } from "vite";
import solid from "vite-plugin-solid";
import { consoleServiceWorker } from "./build/console-sw.ts";
import { precompress } from "./build/precompress.ts";

// The victim app at `/` and the companion console at `/console`. The landing chunk stays small: the chat (matrix-js-sdk,
// Rust crypto wasm) is a separate chunk loaded while the victim reads.
export default defineConfig({
  plugins: [solid(), consoleServiceWorker(), precompress()],
  build: {
    target: "es2022",
    outDir: "dist",
    emptyOutDir: true,
    // Vite would inline small assets as data: URLs; keep every asset a file so
    // the Content-Security-Policy stays 'self' only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 4096,
    // The victim app at `/` and the companion console at `/console` (the homeserver maps both).
    rollupOptions: { input: { index: "index.html", console: "console.html" } },
  },
  server: { proxy: { "/_matrix": "http://127.0.0.1:8008", "/_onsafe": "http://127.0.0.1:8008" } },
});
