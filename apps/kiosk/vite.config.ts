import { appCatalogPlugin } from '@affection/ui';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/kiosk/',
  plugins: [preact(), appCatalogPlugin('kiosk')],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    // livekit-client (about 150 KB gzip) is its own chunk, loaded when the first call starts.
    chunkSizeWarningLimit: 600,
  },
});
