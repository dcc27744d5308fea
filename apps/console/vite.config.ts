import { appCatalogPlugin } from '@affection/ui';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/console/',
  plugins: [preact(), appCatalogPlugin('console')],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2020' },
});
