import { fileURLToPath } from 'node:url';
import { build, defineConfig, type Plugin } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const server = 'http://127.0.0.1:3000';
const outDir = here('./dist/widget');
const preactJsx = { runtime: 'automatic', importSource: 'preact' } as const;

/**
 * The loader is a second, separate build: a classic IIFE script (no `type=module`, no chunks, no
 * imports) because it runs inside merchants' pages, possibly old browsers, next to whatever else
 * they load. It is built after the frame into the same folder (so `emptyOutDir` of the frame
 * build cannot wipe it) and the server serves it as /widget.js.
 */
function loaderBuild(): Plugin {
  return {
    name: 'kefu-widget-loader',
    apply: 'build',
    async closeBundle() {
      await build({
        configFile: false,
        logLevel: 'warn',
        publicDir: false,
        build: {
          outDir,
          emptyOutDir: false,
          copyPublicDir: false,
          sourcemap: false,
          target: 'es2018',
          minify: true,
          lib: {
            entry: here('./src/widget/loader.ts'),
            formats: ['iife'],
            name: 'KefuLoader',
            fileName: () => 'widget.js',
          },
        },
      });
    },
  };
}

/** The widget: the chat frame (Preact) served at /widget/frame.html, plus the loader (see above). */
export default defineConfig({
  root: here('./src/widget/frame'),
  base: '/widget/',
  publicDir: false,
  plugins: [loaderBuild()],
  oxc: { jsx: preactJsx },
  build: {
    outDir,
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    rolldownOptions: { input: here('./src/widget/frame/frame.html') },
  },
  server: {
    port: 5174,
    proxy: { '/api': server, '/ws': { target: server, ws: true } },
  },
});
