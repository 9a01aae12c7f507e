// Proves, over many seeds and random fault schedules under the safe defaults (quorum and fencing on, a synchronous standby), that database faults and a by-the-book manual failover never give two writers, never lose a write acknowledged under synchronous replication, and never reuse an epoch.
// PROPERTY_RUNS=500 npm run test:unit -- tests/property   runs a larger search; a failure prints the scenario to replay with `npm run sim`.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/sim/run';
import { generated, propertyOptions } from '../support/property';

const RUNS = propertyOptions(25).numRuns;
const DURATION_MS = 30_000;
const DBS = ['db-1', 'db-2', 'db-3'];
const SAFETY = ['single-writer', 'no-acknowledged-write-lost', 'epochs'];
const ASYNC_LOSS = /^At [0-9.]+ s db-3 was promoted .* an asynchronous standby when it was promoted/;

const at = fc.integer({ min: 0, max: DURATION_MS - 1 });
const faultArb = fc.oneof(
  fc.record({ atMs: at, do: fc.constantFrom('crash', 'restart'), node: fc.constantFrom(...DBS) }),
  fc.record({ atMs: at, do: fc.constant('partition'), groups: fc.shuffledSubarray(DBS, { minLength: 1, maxLength: 2 }).map((g) => [g, ['*']]) }),
  fc.record({ atMs: at, do: fc.constantFrom('cut', 'heal-link'), between: fc.uniqueArray(fc.constantFrom(...DBS), { minLength: 2, maxLength: 2 }) }),
  fc.record({ atMs: at, do: fc.constant('heal') }),
);

/** The operator's failover done right: the primary is dead (disk gone or crashed) before a standby is promoted, and it is not restarted in between. */
const failoverArb = fc.record({
  killAtMs: fc.integer({ min: 2_000, max: 20_000 }),
  how: fc.constantFrom('crash', 'wipe-disk'),
  promoteAfterMs: fc.integer({ min: 100, max: 5_000 }),
  standby: fc.constantFrom('db-2', 'db-3'),
});

const scheduleArb = fc.record({
  seed: fc.nat({ max: 0xffff_ffff }),
  faults: fc.array(faultArb, { maxLength: 10 }),
  failover: fc.option(failoverArb, { nil: null }),
  writesPerSec: fc.constantFrom(10, 40),
  region: fc.constantFrom('primary', 'dr'),
});

type Schedule = typeof scheduleArb extends fc.Arbitrary<infer T> ? T : never;

function toScenario(s: Schedule) {
  let faults: Record<string, unknown>[] = s.faults;
  const scripted: Record<string, unknown>[] = [];
  if (s.failover) {
    const { killAtMs, how, promoteAfterMs, standby } = s.failover;
    const promoteAtMs = killAtMs + promoteAfterMs;
    // Nothing may bring db-1 back between its death and the promotion.
    faults = faults.filter((f) => !(f.do === 'restart' && f.node === 'db-1' && (f.atMs as number) >= killAtMs && (f.atMs as number) <= promoteAtMs));
    scripted.push({ atMs: killAtMs, do: how, node: 'db-1' }, { atMs: promoteAtMs, do: 'promote', node: standby });
  }
  return {
    version: 1,
    title: 'property: database faults under safe settings',
    seed: s.seed,
    durationMs: DURATION_MS,
    topology: { orchestrators: 0, servers: 0, database: { standbys: [{ replication: 'sync' }, { replication: 'async', region: s.region }] } },
    workload: { writesPerSec: s.writesPerSec },
    events: [...faults, ...scripted].sort((a, b) => (a.atMs as number) - (b.atMs as number)),
  };
}

function check(s: Schedule): void {
  const raw = toScenario(s);
  const { report } = runScenario(generated(raw), { keepTrace: false });
  // An operator who promotes the asynchronous standby (db-3) may lose what it lacked: the check
  // says so, naming asynchronous replication. A write acknowledged under synchronous replication
  // and then lost by promoting the synchronous standby would break it with another message.
  const promotedAsync = s.failover?.standby === 'db-3';
  const broken = report.invariants
    .map((i) => (i.name === 'no-acknowledged-write-lost' && promotedAsync ? { ...i, violations: i.violations.filter((v) => !ASYNC_LOSS.test(v.message)) } : i))
    .filter((i) => !i.ok && i.violations.length > 0);
  expect(broken.map((i) => `${i.name}: ${i.violations[0]?.message}`), `replay with npm run sim -- FILE, FILE containing\n${JSON.stringify(raw)}`).toEqual([]);
  for (const name of SAFETY) expect(report.invariants.some((i) => i.name === name)).toBe(true);
}

describe('database under random faults, safe settings', () => {
  it(`never two writers, never a lost synchronous acknowledgement, never a reused epoch (${RUNS} schedules)`, () => {
    fc.assert(fc.property(scheduleArb, check), propertyOptions(RUNS));
  });
});
