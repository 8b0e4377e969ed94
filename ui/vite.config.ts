import { defineConfig } from 'vitest/config';

// The server serves the built files from its jar under a strict Content-Security-Policy
// (script-src 'self'; style-src 'self'), so the build must not emit inline scripts or styles.
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    port: 5173,
    proxy: {
      '/v1': { target: process.env.SEXTANT_URL ?? 'http://127.0.0.1:8000', changeOrigin: false },
      '/health': { target: process.env.SEXTANT_URL ?? 'http://127.0.0.1:8000' },
    },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    include: ['test/**/*.test.{ts,tsx}'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 30_000,
  },
});
