// Bundles the server into one ESM file, dist/main.js, runnable with `node dist/main.js`.
// @parley/protocol exports TypeScript source, so it is bundled along with everything else.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/main.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  logLevel: 'warning',
  // Bundled CommonJS dependencies (express, ws, pino) call `require`; ESM has none.
  banner: {
    js: "import { createRequire as __parleyCreateRequire } from 'node:module'; const require = __parleyCreateRequire(import.meta.url);",
  },
  // Optional native add-ons: loaded when installed, skipped when not.
  external: ['bufferutil', 'utf-8-validate', 'better-sqlite3', 'pg-native'],
});
