import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// In development the signaling server runs on :8080; the page talks to its own
// origin (`/ws`, `/healthz`, `/api`) exactly as it does in production.
const SIGNALING_ORIGIN = 'http://localhost:8080';

export default defineConfig({
  plugins: [react()],
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
  },
});
