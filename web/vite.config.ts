import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

/** The API (`npm run api` or `npm start`) that `vite` dev mode proxies to. */
const API_ORIGIN = process.env.EVALFORGE_API_ORIGIN ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [solid()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 1_000 },
  server: { proxy: { '/api': API_ORIGIN, '/openapi.json': API_ORIGIN, '/docs': API_ORIGIN } },
});
