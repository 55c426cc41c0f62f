import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
const api = process.env.GRIDGOV_API ?? 'http://localhost:3000';

// The console is one entry point today; the field PWA and resident H5 join as further inputs.
export default defineConfig({
  root: here,
  plugins: [react()],
  resolve: {
    // Contracts ship TypeScript sources (exports './*' → './src/*.ts'); point Vite straight at them.
    alias: [{ find: /^@gridgov\/contracts\/(.*)$/, replacement: path.join(here, '../../packages/contracts/src/$1.ts') }],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
    rollupOptions: { input: { console: path.join(here, 'index.html') } },
  },
  server: {
    port: 5173,
    // `npm run dev -w @gridgov/web` next to a server on :3000 (GRIDGOV_API points elsewhere). The Host
    // header is kept so the server's same-origin sign-in check sees the page's own origin.
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/open311': { target: api, changeOrigin: false },
    },
  },
});
