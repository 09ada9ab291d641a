import { defineConfig } from 'vite';

/** The console is built into dist/console at install time and served by the gateway under /console/. */
export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  logLevel: 'warn',
  build: { outDir: '../dist/console', emptyOutDir: true, sourcemap: true },
});
