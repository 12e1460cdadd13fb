// `npm run build`: this service bundled into dist/main.js (see scripts/bundle.mjs).
import { bundle } from "../scripts/bundle.mjs";

await bundle(new URL("./", import.meta.url));
