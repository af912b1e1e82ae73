#!/usr/bin/env node
// Runs the bundled app (npm run build writes dist/).
import { existsSync } from "node:fs";

const entry = new URL("../dist/main.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    "afu9-tui: not built yet; run `npm run build` (or `npm run demo`) in the project first\n",
  );
  process.exit(3);
}
await import(entry.href);
