/**
 * Time travel in a 30-minute run (`npx tsx src/bench/seek.ts`): 3 Raft orchestrators, 2 API
 * servers, a primary with a synchronous standby and a DR replica, 20 writes/s, the primary crashing
 * at 10 minutes. Headless in Node, through the worker's own Session (src/worker/session.ts), which
 * is what the page's worker runs. It prints
 * - the cost of a seek with no checkpoint to start from (what every seek back cost before
 *   checkpoints, and still what a first seek far ahead costs before the scout has run there),
 * - how long the scout takes to run the whole scenario ahead in idle time, and how many checkpoints
 *   it leaves, and the heap they take,
 * - seeks back and forward across the run, each measured to the frame that shows the moment,
 *   against the 300 ms target.
 * Numbers are read by people: the machine may be shared.
 */
import { CHECKPOINT_EVERY_MS, MAX_CHECKPOINTS, parseScenario, type Scenario } from '../sim';
import { Session } from '../worker/session';

const TARGET_SEEK_MS = 300;
const MINUTE = 60_000;

const SCENARIO_INPUT = {
  version: 1,
  title: 'bench: 30 minutes of time travel',
  seed: 17,
  durationMs: 30 * MINUTE,
  topology: {
    orchestrators: 3,
    election: 'raft',
    servers: 2,
    database: { standbys: [{ replication: 'sync' }, { replication: 'async', region: 'dr' }] },
  },
  workload: { writesPerSec: 20 },
  events: [
    { atMs: 10 * MINUTE, do: 'crash', node: '@primary' },
    { atMs: 20 * MINUTE, do: 'partition', groups: [['db-2'], ['*']] },
    { atMs: 21 * MINUTE, do: 'heal' },
  ],
};

/** Seek targets: back and forward across the run, at odd moments (never on a checkpoint). */
const SEEKS_MS = [28, 1.5, 29.9, 14.2, 14.25, 3.3, 22.7, 9.99, 27.1, 0.4, 18.6, 6.05, 25.45, 12.3, 29.2, 16.8].map((m) => Math.round(m * MINUTE) + 137);

function scenario(): Scenario {
  const parsed = parseScenario(SCENARIO_INPUT);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.scenario;
}

/** A seek and the frame that shows it, as the worker does: wall ms. */
function timedSeek(session: Session, atMs: number): number {
  const started = performance.now();
  session.seek(atMs);
  session.frame();
  return performance.now() - started;
}

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1e6;
}

function line(label: string, ms: number, target = TARGET_SEEK_MS): string {
  return `  ${label.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms  ${ms <= target ? 'ok' : `OVER the ${target} ms target`}`;
}

function main(): void {
  const s = scenario();
  console.log(`Seeking in a ${s.durationMs / MINUTE}-minute run (checkpoint every ${CHECKPOINT_EVERY_MS / 1000} s at first, at most ${MAX_CHECKPOINTS} kept)`);

  const cold = new Session(s, 1);
  const coldMs = timedSeek(cold, 28 * MINUTE);
  console.log(`  first seek to 28 min, nothing ahead   ${coldMs.toFixed(0).padStart(6)} ms  (simulates 28 min; what every seek back cost before)`);

  const heapBefore = heapMb();
  const session = new Session(s, 1);
  const started = performance.now();
  let slices = 0;
  while (session.scoutAhead(30, () => performance.now())) slices++;
  const scoutMs = performance.now() - started;
  const times = session.checkpointTimes();
  const spacing = times.length > 1 ? times[times.length - 1]! - times[times.length - 2]! : 0;
  console.log(`  scout ran the whole run ahead in      ${scoutMs.toFixed(0).padStart(6)} ms  of idle time (${slices} slices of 30 ms), leaving ${times.length} checkpoints ${spacing / 1000} s apart`);
  console.log(`  heap with those checkpoints           ${(heapMb() - heapBefore).toFixed(0).padStart(6)} MB  more than before the session${'gc' in globalThis ? '' : ' (run node with --expose-gc for a steadier figure)'}`);

  const seeks: number[] = [];
  let from = 0;
  for (const atMs of SEEKS_MS) {
    const ms = timedSeek(session, atMs);
    seeks.push(ms);
    console.log(line(`${atMs > from ? 'forward' : 'back   '} ${(from / MINUTE).toFixed(2)} → ${(atMs / MINUTE).toFixed(2)} min`, ms));
    from = atMs;
  }
  const sorted = [...seeks].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const worst = sorted[sorted.length - 1]!;
  console.log(line('median seek', median));
  console.log(line('worst seek', worst));
  const over = seeks.filter((ms) => ms > TARGET_SEEK_MS).length;
  console.log(over === 0 ? `  every seek showed its moment within ${TARGET_SEEK_MS} ms` : `  ${over} of ${seeks.length} seeks took longer than ${TARGET_SEEK_MS} ms`);
}

main();
