/**
 * Vite build of the route viewer: ui/ → dist/ui, served by routetrace at /ui (src/api/ui/uiRoutes.ts).
 * Everything is bundled (no CDN); file names carry content hashes so the server can cache them forever.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/ui/',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/ui', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    // No inline assets or scripts: the page's Content-Security-Policy allows files from this server only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'es2022',
    sourcemap: true,
  },
});
