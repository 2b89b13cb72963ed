import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { HtmlTagDescriptor, Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

const COMPRESSIBLE = /\.(html|js|css|svg|json|webmanifest)$/;

// Writes "<file>.gz" beside each text file of the build (gzip -9, with the file's modification
// time; deskd sends it to browsers that take gzip: 410 KB of JavaScript is 127 KB on a Pi's
// Wi-Fi). Files under 1 KB, or that gzip does not shrink, stay as they are.
function precompress(): Plugin {
  return {
    name: 'deskd-precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      const outDir = options.dir ?? 'dist';
      for (const name of Object.keys(bundle)) {
        if (!COMPRESSIBLE.test(name)) continue;
        const file = path.join(outDir, name);
        const data = fs.readFileSync(file);
        if (data.length < 1024) continue;
        const gz = zlib.gzipSync(data, { level: 9 });
        if (gz.length >= data.length) continue;
        fs.writeFileSync(`${file}.gz`, gz);
        // deskd sends a copy only while it has its file's modification time (not edited since).
        const st = fs.statSync(file);
        fs.utimesSync(`${file}.gz`, st.atime, st.mtime);
      }
    },
  };
}

// The page evaluates MQTT.js (the chunk behind its dynamic import of ./connection) only after the
// first state is painted. A prefetch link has the browser download it meanwhile (on a Pi's Wi-Fi
// its 106 KB take ~45 ms); a modulepreload would also compile it, 15-20 ms of the main thread in
// the first state's way.
function prefetchLazyChunks(): Plugin {
  return {
    name: 'deskd-prefetch-lazy-chunks',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx): HtmlTagDescriptor[] {
        const chunks = Object.values(ctx.bundle ?? {}).filter((c) => c.type === 'chunk' && c.isDynamicEntry);
        return chunks.map((c) => ({
          tag: 'link',
          attrs: { rel: 'prefetch', crossorigin: true, href: `./${c.fileName}` },
          injectTo: 'head',
        }));
      },
    },
  };
}

// The dashboard is a static bundle served by deskd from web/dist; /config.json is deskd's.
export default defineConfig({
  base: './',
  plugins: [prefetchLazyChunks(), precompress()],
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
