// Proves, over random full-stack fault schedules (3 or 5 Raft orchestrators or a witness, 0–6 API
// servers, one or two standbys mixing synchronous and asynchronous replication and regions, 20–100
// writes/s; 30–40 s of crashes, wiped disks, partitions, cut and slow links and dark data centres on
// every kind of node; then everything healed and restarted, and 35–45 s to converge), that under the
// safe defaults nothing unsafe ever happens (never two writers, Raft's invariants, epochs, and where a
// standby is synchronous every write acknowledged while one was named survives on the final primary),
// that the system always heals: a leader, one primary, writes acknowledged again and the configured
// number of standbys following it (a lost node replaced), by the end of the convergence time, and that
// the report's `writes.lost` is exactly the acknowledged writes the final primary lacks. A second family
// adds an operator's promotions by hand: there only Raft's safety, the ledger and the healing are asked,
// for a promotion beside a healthy primary is an operator error that gives two writers by design.
// PROPERTY_RUNS=2000 npx vitest run tests/property/full-stack-faults.test.ts   sweeps longer; a failure
// prints the whole run, heal included, as a scenario to replay with `npm run sim`.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fullStackScheduleArb, runFullStack, type Family, type FullStackSchedule } from '../support/full-stack';
import { propertyOptions } from '../support/property';

function check(schedule: FullStackSchedule): void {
  const { failures, replay } = runFullStack(schedule);
  expect(failures, `replay with npm run sim -- FILE, FILE containing\n${JSON.stringify(replay)}`).toEqual([]);
}

function sweep(family: Family, defaultRuns: number): void {
  fc.assert(fc.property(fullStackScheduleArb(family), check), { ...propertyOptions(defaultRuns), endOnFailure: true });
}

// Dozens of full runs: on a 2-core machine busy with other work they take minutes, not the default two.
const SWEEP_TIMEOUT_MS = 600_000;

describe('the full stack under random faults, then healed', () => {
  it(`safe defaults: never unsafe, and always heals within the convergence time (${propertyOptions(24).numRuns} schedules)`, () => {
    sweep('safe', 24);
  }, SWEEP_TIMEOUT_MS);

  it(`with an operator promoting by hand: Raft stays safe and the system still heals (${propertyOptions(8).numRuns} schedules)`, () => {
    sweep('operator', 8);
  }, SWEEP_TIMEOUT_MS);
});
