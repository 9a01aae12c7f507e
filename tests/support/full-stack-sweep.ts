/**
 * A sweep of full-stack fault schedules outside vitest, for long searches: runs N schedules of a
 * family from a seed, prints one line per failing schedule (its failures), a summary by check, and
 * writes each failing run (heal included) as a scenario file into OUT_DIR when given.
 *
 *   nice npx tsx tests/support/full-stack-sweep.ts [safe|operator] RUNS [SEED] [OUT_DIR] [FROM]
 *
 * FROM (default 0) skips the first schedules of the sample: a sweep stopped after schedule K goes on
 * with FROM = K and the same RUNS and SEED.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import v8 from 'node:v8';
import fc from 'fast-check';
import { fullStackScheduleArb, runFullStack, type Family } from './full-stack';

const family = (process.argv[2] ?? 'safe') as Family;
const runs = Number(process.argv[3] ?? 100);
const seed = Number(process.argv[4] ?? 1);
const outDir = process.argv[5];
const from = Number(process.argv[6] ?? 0);

// As the command line does (src/cli/sim.ts): a quarter less CPU per schedule.
v8.setFlagsFromString('--no-allocation-site-pretenuring');

const schedules = fc.sample(fullStackScheduleArb(family), { numRuns: runs, seed });
const byCheck = new Map<string, number>();
/** Runs of which only safety was asked, by why (a loss no system heals from without an operator). */
const onlySafety = new Map<string, number>();
let failed = 0;
const started = Date.now();
if (outDir) mkdirSync(outDir, { recursive: true });
schedules.forEach((schedule, k) => {
  if (k < from) return;
  let failures: string[];
  let replay: unknown = null;
  try {
    const result = runFullStack(schedule);
    failures = result.failures;
    replay = result.replay;
    if (result.onlySafety !== null) {
      onlySafety.set(result.onlySafety, (onlySafety.get(result.onlySafety) ?? 0) + 1);
      // Named, and kept like a failure, so each can be looked at: was it rightly let off?
      console.log(`#${k} only safety asked: ${result.onlySafety}`);
      if (outDir) writeFileSync(`${outDir}/${family}-${seed}-${k}-only-safety.json`, JSON.stringify(result.replay));
    }
  } catch (error) {
    failures = [`crash: ${String(error).slice(0, 300)}`];
  }
  if ((k + 1) % 25 === 0) console.log(`… ${k + 1} schedules, ${failed + (failures.length > 0 ? 1 : 0)} failed since ${from}, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (failures.length === 0) return;
  failed++;
  // The check and its words, without numbers or node ids, say which kind of failure it is.
  const kinds = new Set(failures.map((f) => f.replace(/\b(db|orch|api)-\d+\b/g, 'X').replace(/\d+/g, 'N').replace(/ \(.*$/, '').slice(0, 90)));
  for (const kind of kinds) byCheck.set(kind, (byCheck.get(kind) ?? 0) + 1);
  console.log(`#${k} ${schedule.control} ${schedule.standbys.map((b) => b.replication + '/' + b.region).join('+')} servers=${schedule.servers}: ${failures.join(' | ').slice(0, 600)}`);
  if (outDir && replay) writeFileSync(`${outDir}/${family}-${seed}-${k}.json`, JSON.stringify(replay));
});
console.log(`\n${family}: ${runs - from} schedules (${from}..${runs - 1}) from seed ${seed}, ${failed} failed, ${((Date.now() - started) / 1000).toFixed(0)} s`);
for (const [why, n] of onlySafety) console.log(`  only safety asked of ${n} run(s): ${why}`);
for (const [kind, n] of [...byCheck].sort((a, b) => b[1] - a[1])) console.log(`  ${n}\t${kind}`);
