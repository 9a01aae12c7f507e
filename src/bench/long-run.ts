/**
 * Long runs (`tsx --expose-gc src/bench/long-run.ts`, part of `npm run bench`): the time and memory
 * of one simulated day and of seven (the longest a scenario may run) of 3 Raft orchestrators and a
 * primary with a synchronous standby under 20 writes a second, headless as `npm run sim --json`
 * runs it (the trace streamed, not kept). Targets: a day within 90 wall seconds and 300 MB, seven
 * days within minutes and under 500 MB.
 *
 * Memory is read after a forced full garbage collection at each sampled moment: the live heap
 * plus the array buffers outside it (the write ledger keeps its acknowledgements in one), its
 * peak over the run, how fast it grows per simulated hour after the first, and the process's
 * peak resident size. A number for people, never asserted. `LONG_RUN_DAYS=1` runs the day alone.
 */
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { parseScenario, Simulation } from '../sim';

v8.setFlagsFromString('--no-allocation-site-pretenuring');

const HOUR_MS = 3_600_000;
const MB = 1024 * 1024;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc (tsx --expose-gc src/bench/long-run.ts)');

function setup(days: number) {
  const parsed = parseScenario({
    version: 1,
    title: `long run: ${days} day(s), 3 orchestrators, a sync pair, 20 writes/s`,
    seed: 7,
    durationMs: days * 24 * HOUR_MS,
    topology: { orchestrators: 3, servers: 0, database: { standbys: [{ replication: 'sync' }] } },
    workload: { writesPerSec: 20 },
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.scenario;
}

/** Live memory after a full collection: the V8 heap in use and array buffers outside it. */
function liveMb(): number {
  gc!();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return (heapUsed + arrayBuffers) / MB;
}

function longRun(days: number, targetWallS: number | null, targetMb: number): void {
  const scenario = setup(days);
  const baseMb = liveMb();
  let measuredMs = 0;
  const cpuBefore = process.cpuUsage();
  const sim = new Simulation(scenario, { keepTrace: false });
  const sampleEveryMs = days === 1 ? HOUR_MS : 6 * HOUR_MS;
  let peakMb = 0;
  let firstHourMb = 0;
  for (let atMs = sampleEveryMs; atMs <= scenario.durationMs; atMs += sampleEveryMs) {
    const from = performance.now();
    sim.runUntil(atMs);
    measuredMs += performance.now() - from;
    const mb = liveMb();
    if (atMs === sampleEveryMs) firstHourMb = mb;
    peakMb = Math.max(peakMb, mb);
    process.stderr.write(`  ${(atMs / HOUR_MS).toFixed(0)} simulated h: ${mb.toFixed(1)} MB live, ${(measuredMs / 1000).toFixed(1)} wall s\n`);
  }
  const wallS = measuredMs / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  const endMb = liveMb();
  const hours = scenario.durationMs / HOUR_MS;
  const perHourMb = (endMb - firstHourMb) / (hours - sampleEveryMs / HOUR_MS);
  const report = sim.report();
  const rssMb = process.resourceUsage().maxRSS / 1024;
  // CPU time beside wall time: on a shared machine the wall clock also counts other jobs' turns (the forced collections are in both).
  const time = `${targetWallS === null ? `${(wallS / 60).toFixed(1)} wall min` : `${wallS.toFixed(1)} wall s (target ${targetWallS} s: ${wallS <= targetWallS ? 'met' : 'MISSED'})`}, ${cpuS.toFixed(0)} CPU s`;
  console.log(
    `long run of ${days} simulated day${days === 1 ? '' : 's'}: ${time}, ${((hours * 3600) / wallS).toFixed(0)} simulated s/wall s; ` +
      `live memory ${endMb.toFixed(0)} MB at the end (peak ${peakMb.toFixed(0)} MB, ${baseMb.toFixed(0)} MB before the run, +${perHourMb.toFixed(2)} MB per simulated hour), ` +
      `peak resident ${rssMb.toFixed(0)} MB (target ${targetMb} MB: ${Math.max(peakMb, rssMb) <= targetMb ? 'met' : 'MISSED'}); ` +
      `${report.writes.acknowledged} writes acknowledged, ${report.stats.events} events, ${report.invariants.every((i) => i.ok) ? 'invariants ok' : 'INVARIANT BROKEN'}`,
  );
}

longRun(1, 90, 300);
if (process.env.LONG_RUN_DAYS !== '1') longRun(7, null, 500);
