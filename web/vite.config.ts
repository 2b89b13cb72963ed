import { defineConfig } from 'vitest/config';

// The dashboard is a static bundle served by deskd from web/dist; /config.json is deskd's.
export default defineConfig({
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    reportCompressedSize: true,
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
  },
});
