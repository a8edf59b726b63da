/**
 * One build for the three Electron targets. The renderer bundle is also what the headless node
 * serves over HTTP, so `out/renderer` must work without Electron.
 */
import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'

const root = import.meta.dirname

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // The scan worker is a thread's entry of its own (main/mirror/scan-thread.ts finds it beside the main bundle).
      rollupOptions: { input: { index: resolve(root, 'main/app/main.ts'), 'scan-worker': resolve(root, 'main/mirror/scan-worker.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // Sandboxed preloads can require nothing but 'electron': bundle shared/ and its deps in.
      externalizeDeps: false,
      // Sandboxed preloads cannot load ES modules.
      rollupOptions: {
        input: { index: resolve(root, 'main/app/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    base: './',
    build: {
      outDir: resolve(root, 'out/renderer'),
      rollupOptions: { input: { index: resolve(root, 'renderer/index.html') } },
    },
    plugins: [react()],
  },
})
