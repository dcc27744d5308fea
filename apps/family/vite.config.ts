import { appCatalogPlugin } from '@affection/ui';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/family/',
  plugins: [preact(), appCatalogPlugin('family')],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    // The call screen's chunk carries livekit-client (~540 kB, 140 kB gzip) and loads only on joining a call;
    // the first screen stays far under its 75 kB gzip budget (checked by tests/e2e/family-page.test.ts).
    chunkSizeWarningLimit: 600,
  },
});
