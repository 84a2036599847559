import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { moduleSizes } from './build/module-sizes.ts';

// In development the signaling server runs on :8080; the page talks to its own
// origin (`/ws`, `/healthz`, `/api`) exactly as it does in production.
const SIGNALING_ORIGIN = 'http://localhost:8080';

/**
 * V8's per-file compile hint (Chromium 136 on): the functions of a chunk that
 * carries this comment are compiled while the chunk streams in, on a
 * background thread, instead of on the main thread the first time each is
 * called. Without it, Join's click, the server's answer and the first offer
 * each paid for compiling the code they ran for the first time, on the main
 * thread the offers and answers wait for (CPU profile of a two-person join:
 * several ms of the first 30). A chunk is fetched when its code is about to
 * run (the room's as the join form opens); compiling all of it costs the
 * functions that never run too, off the main thread. Other browsers ignore
 * the comment. Rolldown's postBanner comes after minification, which would
 * strip it.
 */
const COMPILE_HINT = '//# allFunctionsCalledOnLoad';

// Set by bench/bundle-size.ts: where to write which modules each chunk holds.
const MODULE_SIZES_FILE = process.env.PARLEY_MODULE_SIZES;

export default defineConfig({
  plugins: [react(), ...(MODULE_SIZES_FILE ? [moduleSizes(MODULE_SIZES_FILE)] : [])],
  server: {
    proxy: {
      // No changeOrigin here: the server lets a socket in when its Origin names the Host it was asked for.
      '/ws': { target: SIGNALING_ORIGIN, ws: true },
      '/healthz': { target: SIGNALING_ORIGIN, changeOrigin: true },
      // The lobby's live list of rooms (server-sent events).
      '/api': { target: SIGNALING_ORIGIN, changeOrigin: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // dist/.vite/manifest.json: which chunk the page loads first and what each imports,
    // read by bench/bundle-size.ts. The server does not serve dot-directories.
    manifest: true,
    rolldownOptions: { output: { postBanner: COMPILE_HINT } },
  },
});
