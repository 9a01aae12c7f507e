/**
 * `npm run sim`: the command line (main.ts) with the process's own output and exit status.
 */
import v8 from 'node:v8';
import { runCli } from './main';

// The engine's per-event objects are short-lived, but V8's allocation-site pretenuring guesses
// otherwise and a third of a long run goes to garbage collection; see src/bench/bench.ts.
v8.setFlagsFromString('--no-allocation-site-pretenuring');

runCli(process.argv.slice(2), { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) }).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`sim: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
