/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

/**
 * The worker is built with the lazy registry of node programs (src/sim/machines/registry-lazy.ts):
 * a scenario downloads only the machines it runs. Node (the CLI, the tests) keeps the static one.
 */
function lazyProgramsInWorker(): Plugin {
  return {
    name: 'lazy-programs-in-worker',
    apply: 'build',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!/[\\/]registry$/.test(source) || !importer || !/[\\/]src[\\/]sim[\\/]/.test(importer)) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      if (!resolved || !/[\\/]src[\\/]sim[\\/]machines[\\/]registry\.ts$/.test(resolved.id)) return null;
      return resolved.id.replace(/registry\.ts$/, 'registry-lazy.ts');
    },
  };
}

/** The link encoder and its compressor: the worker loads them when a link is first asked for. */
const LINK_ENCODING = /[\\/](src[\\/]sim[\\/]scenario[\\/]url-encode\.ts|node_modules[\\/]lz-string[\\/])/;
/** The link decoder (the worker loads it with the first link opened). */
const LINK_DECODING = /[\\/]src[\\/]sim[\\/]scenario[\\/](url|lz-inflate)\.ts$/;
/** What the worker downloads only when a scenario, a comparison, a sweep or a link needs it. */
const LOADED_ON_DEMAND_IN_WORKER = new RegExp(
  `${/[\\/]src[\\/]sim[\\/](machines[\\/](bully|witness|backup|server|load-balancer)|compare|sweep)[\\/]/.source}|${LINK_ENCODING.source}|${LINK_DECODING.source}`,
);

// `base: './'` so the built site works from any sub-path (a copy of dist/ served from /anything/).
export default defineConfig({
  base: './',
  plugins: [react()],
  worker: {
    format: 'es',
    plugins: () => [lazyProgramsInWorker()],
    // As for the page (below): what the worker does not use of the core is left out of its bundle.
    rolldownOptions: {
      treeshake: { moduleSideEffects: [{ test: /[\\/]src[\\/]sim[\\/]/, sideEffects: false, external: false }] },
      // One chunk for the engine (many small shared chunks compress worse); a chunk for each
      // machine a scenario may not run, for the comparison, the sweep, for the link encoder (wanted only
      // when a link, report or trace is asked for) and for the link decoder (when a link is opened). The engine's group takes only what it matches:
      // taking dependencies too would pull in, through the core's door, what the others load.
      output: {
        codeSplitting: {
          groups: [
            { name: 'engine', includeDependenciesRecursively: false, test: (id) => !LOADED_ON_DEMAND_IN_WORKER.test(id) },
            { name: 'compare', includeDependenciesRecursively: false, test: /[\\/]src[\\/]sim[\\/]compare[\\/]/ },
            { name: 'sweep', includeDependenciesRecursively: false, test: /[\\/]src[\\/]sim[\\/]sweep[\\/]/ },
            { name: 'link-encoding', includeDependenciesRecursively: false, test: LINK_ENCODING },
            { name: 'link-decoding', includeDependenciesRecursively: false, test: LINK_DECODING },
          ],
        },
      },
    },
  },
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
