// Bundles a service's `src/main.ts` into `dist/main.js` for `npm start`: plain
// Node at run time, without a TypeScript loader (which costs about 45 MB of
// RSS). npm packages stay external; the workspace's own TypeScript packages
// are bundled.
import { readFileSync } from "node:fs";
import { build } from "esbuild";

export async function bundle(packageDir) {
  const pkg = JSON.parse(readFileSync(new URL("package.json", packageDir), "utf8"));
  await build({
    entryPoints: [new URL("src/main.ts", packageDir).pathname],
    outfile: new URL("dist/main.js", packageDir).pathname,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: true,
    external: Object.keys(pkg.dependencies).filter((name) => !name.startsWith("@onsafe/")),
    logLevel: "warning",
  });
}
