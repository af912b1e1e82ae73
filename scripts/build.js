// Bundles the app into dist/ with esbuild: one ESM entry plus lazily loaded chunks, so the first
// frame does not wait for the AWS SDK (see DESIGN.md: unbundled start-up took about a second).
import { readFileSync, rmSync } from "node:fs";
import { build } from "esbuild";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true });

await build({
  entryPoints: { main: "source/cli/entry.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  // Prefer the packages' ES module builds: they bundle smaller and import() gives their named exports.
  mainFields: ["module", "main"],
  target: "node20",
  sourcemap: "linked",
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: "none",
  // Ink imports react-devtools-core only when DEV is set; it is not installed.
  external: ["react-devtools-core"],
  define: { __AFU9_VERSION__: JSON.stringify(pkg.version), "process.env.NODE_ENV": '"production"' },
  // Some CommonJS dependencies call require() for Node built-ins.
  banner: {
    js: 'import { createRequire as __afu9CreateRequire } from "node:module"; const require = __afu9CreateRequire(import.meta.url);',
  },
  logLevel: "warning",
});
