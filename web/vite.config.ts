// Vite build, dev server and Vitest configuration for the Switchboard web UI.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vitest/config';

// Sonner injects its stylesheet as an inline <style> element, which the server's
// Content-Security-Policy (default-src 'self') refuses. The same CSS ships as a file
// (imported in index.css), so the build drops the injection.
function sonnerWithoutInlineStyle(): Plugin {
  return {
    name: 'sonner-without-inline-style',
    apply: 'build',
    transform(code, id) {
      if (!/node_modules\/sonner\/dist\/index\.m?js$/.test(id)) return null;
      const marker = 'function __insertCSS(code) {';
      if (!code.includes(marker)) this.error('sonner no longer defines __insertCSS; revisit this plugin');
      return { code: code.replace(marker, `${marker} return;`), map: null };
    },
  };
}

export default defineConfig({
  plugins: [react(), sonnerWithoutInlineStyle()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: {
      output: {
        // Libraries change less often than our code: a separate chunk stays cached across releases.
        // The charting library (and the d3 parts it uses) is only needed on pages with charts,
        // which load it on demand.
        manualChunks: (id) => {
          if (!id.includes('/node_modules/')) return undefined;
          if (
            /\/node_modules\/(recharts|d3-[a-z-]+|victory-vendor|internmap|decimal\.js-light|@reduxjs|react-redux|redux|redux-thunk|immer|reselect|es-toolkit|eventemitter3|tiny-invariant)\//.test(
              id,
            )
          )
            return 'charts';
          // Drawn only while setting up two-factor sign-in, loaded then (features/two-factor).
          if (/\/node_modules\/(qrcode|dijkstrajs)\//.test(id)) return 'qrcode';
          return 'vendor';
        },
      },
    },
  },
  server: {
    proxy: Object.fromEntries(
      ['/api', '/healthz', '/readyz'].map((path) => [
        path,
        { target: process.env.SWITCHBOARD_URL ?? 'http://127.0.0.1:8080', changeOrigin: false },
      ]),
    ),
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    css: false,
    restoreMocks: true,
    unstubGlobals: true,
    // A hang guard, not a speed check: page tests that click through many steps in jsdom
    // take longer than Vitest's 5 s default on a loaded 2-core machine.
    testTimeout: 20_000,
  },
});
