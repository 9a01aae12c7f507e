/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `base: './'` so the built site works from any sub-path (a copy of dist/ served from /anything/).
export default defineConfig({
  base: './',
  plugins: [react()],
  worker: { format: 'es' },
  build: {
    rolldownOptions: {
      // The simulation core is pure: importing one of its modules does nothing but define things.
      // Saying so lets the page take only what it uses through the core's door (src/sim/index.ts),
      // a few formatters and the scenario parser, instead of the whole engine the worker runs.
      treeshake: { moduleSideEffects: [{ test: /[\\/]src[\\/]sim[\\/]/, sideEffects: false, external: false }] },
    },
  },
  server: { port: 5173, strictPort: true },
  preview: { port: 4173, strictPort: true },
  test: {
    include: ['tests/{unit,property,golden,determinism,acceptance,lint}/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    // A hook that builds a test's world (a comparison's ten runs) is a test's work, given a test's time.
    hookTimeout: 120_000,
  },
});
