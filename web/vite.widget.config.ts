// Builds src/widget/widget.ts alone into dist/widget.js: one small IIFE with a stable name (the
// embed snippet points at it), no React, no hash. Runs after the app build, which empties dist/.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    copyPublicDir: false,
    lib: {
      entry: fileURLToPath(new URL('./src/widget/widget.ts', import.meta.url)),
      formats: ['iife'],
      name: 'SwitchboardWidget',
      fileName: () => 'widget.js',
    },
  },
});
