/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `base: './'` so the built site works from any sub-path (CONTRACT.md section 1).
export default defineConfig({
  base: './',
  plugins: [react()],
  worker: { format: 'es' },
  server: { port: 5173, strictPort: true },
  preview: { port: 4173, strictPort: true },
  test: {
    include: ['tests/{unit,property,golden,determinism,acceptance}/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
  },
});
