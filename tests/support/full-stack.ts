/**
 * Random full-stack fault schedules and the checks one run must pass, shared by the property test
 * (`tests/property/full-stack-faults.test.ts`) and anyone sweeping more seeds.
 *
 * A schedule is a topology (3 or 5 Raft orchestrators, or a witness; 0–6 API servers; one or two
 * standbys, each synchronous or not, here or in the DR region; 20–100 writes/s), a fault phase of
 * 30–40 s (crashes, restarts, wiped disks, partitions, cut and slow links, dark data centres, on
 * every kind of node), then the heal: every network fault gone, power back, every node that is
 * down restarted (except one already replaced by a new machine), and 35–45 s for the system to
 * converge. The `operator` family also promotes standbys by hand during the fault phase.
 *
 * The settings are the safe defaults except two that only shorten the wait for a lost database
 * node's replacement (`GENERATED_SETTINGS`): a node down for 10 s (not 30 s) is replaced, and its
 * base backup copies at 250 kB/s (not 50 kB/s), so that a node fenced after the heal is replaced,
 * rebuilt and streaming within the convergence time, and the liveness check can ask for every
 * configured standby.
 *
 * The run goes through the `Simulation` API, so the heal restarts exactly the nodes that are down
 * at that moment; `recordedScenario()` then replays the whole run with `npm run sim`.
 */
import fc from 'fast-check';
import { Simulation } from '../../src/sim/world/simulation';
import { parseScenario } from '../../src/sim/scenario/parse';
import type { Scenario } from '../../src/sim/scenario/types';
import type { DatabaseDisk } from '../../src/sim/machines/database/types';
import type { TimelineEntry } from '../../src/sim/machines/database/wal';
import { missingFrom, onTimeline } from './write-check';

export type Family = 'safe' | 'operator';

export interface Standby {
  readonly replication: 'sync' | 'async';
  readonly region: 'primary' | 'dr';
}

export interface FullStackSchedule {
  readonly family: Family;
  readonly seed: number;
  readonly control: 'raft-3' | 'raft-5' | 'witness';
  readonly servers: number;
  readonly standbys: readonly Standby[];
  readonly writesPerSec: number;
  readonly faultPhaseMs: number;
  readonly convergeMs: number;
  readonly events: readonly Record<string, unknown>[];
}

function orchestratorCount(control: FullStackSchedule['control']): number {
  return control === 'raft-3' ? 3 : control === 'raft-5' ? 5 : 0;
}

function nodesOf(control: FullStackSchedule['control'], servers: number, standbys: number): string[] {
  const ids = (prefix: string, n: number, from = 1) => Array.from({ length: n }, (_, k) => `${prefix}-${k + from}`);
  const orchs = ids('orch', orchestratorCount(control));
  return [...orchs, ...(servers > 0 ? ['lb', ...ids('api', servers)] : []), ...ids('db', standbys + 1), ...(control === 'witness' ? ['witness'] : [])];
}

function faultArb(nodes: readonly string[], faultPhaseMs: number, family: Family, databases: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  const at = fc.integer({ min: 0, max: faultPhaseMs - 1 });
  const node = fc.constantFrom(...nodes);
  const pair = fc.uniqueArray(node, { minLength: 2, maxLength: 2 });
  const faults: fc.Arbitrary<Record<string, unknown>>[] = [
    fc.record({ atMs: at, do: fc.constantFrom('crash', 'crash', 'restart', 'restart', 'wipe-disk'), node }),
    fc.record({ atMs: at, do: fc.constant('crash'), node: fc.constantFrom('@primary', ...(nodes.includes('orch-1') ? ['@leader'] : [])) }),
    fc.record({ atMs: at, do: fc.constant('restart'), node: fc.constant('@last-crashed') }),
    fc.record({ atMs: at, do: fc.constant('partition'), groups: fc.shuffledSubarray([...nodes], { minLength: 1, maxLength: Math.max(1, nodes.length - 1) }).map((g) => [g, ['*']]) }),
    fc.record({ atMs: at, do: fc.constantFrom('cut', 'heal-link'), between: pair }),
    fc.record({ atMs: at, do: fc.constant('slow-link'), between: pair, latencyMs: fc.integer({ min: 100, max: 1500 }), lossRate: fc.constantFrom(0, 0.1, 0.3) }),
    fc.record({ atMs: at, do: fc.constantFrom('region-down', 'region-up'), region: fc.constantFrom('primary', 'dr') }),
    fc.record({ atMs: at, do: fc.constant('heal') }),
  ];
  if (family === 'operator') faults.push(fc.record({ atMs: at, do: fc.constant('promote'), node: fc.constantFrom(...databases.slice(1), '@primary') }));
  return fc.oneof(...faults);
}

/** Random schedules of one family. */
export function fullStackScheduleArb(family: Family): fc.Arbitrary<FullStackSchedule> {
  const shape = fc.record({
    seed: fc.nat({ max: 0xffff_ffff }),
    control: fc.constantFrom('raft-3', 'raft-5', 'witness'),
    servers: fc.integer({ min: 0, max: 6 }),
    standbys: fc.array(fc.record({ replication: fc.constantFrom('sync', 'async'), region: fc.constantFrom('primary', 'dr') }), { minLength: 1, maxLength: 2 }),
    writesPerSec: fc.integer({ min: 20, max: 100 }),
    faultPhaseMs: fc.integer({ min: 30_000, max: 40_000 }),
    convergeMs: fc.integer({ min: 35_000, max: 45_000 }),
  });
  return shape.chain((s) => {
    const nodes = nodesOf(s.control, s.servers, s.standbys.length);
    const databases = nodes.filter((id) => id.startsWith('db-'));
    return fc
      .array(faultArb(nodes, s.faultPhaseMs, family, databases), { minLength: 1, maxLength: 14 })
      .map((events) => ({ ...s, family, events: [...events].sort((a, b) => Number(a.atMs) - Number(b.atMs)) }));
  });
}

/** What the generated scenarios set beside the defaults: a lost database node is replaced sooner (see the top of this file). */
export const GENERATED_SETTINGS = { replaceDatabaseAfterMs: 10_000, baseBackupBytesPerSec: 250_000 } as const;

/** The schedule's scenario: its fault phase only; the heal is acted through the `Simulation` API at `faultPhaseMs`. */
export function fullStackScenario(s: FullStackSchedule): Scenario {
  const raw = {
    version: 1,
    title: `full-stack faults (${s.family}): ${s.control}, ${s.servers} API servers, ${s.standbys.map((b) => `${b.replication}/${b.region}`).join(' + ')}`,
    seed: s.seed,
    durationMs: s.faultPhaseMs + s.convergeMs,
    settings: GENERATED_SETTINGS,
    topology: {
      orchestrators: orchestratorCount(s.control),
      election: 'raft',
      servers: s.servers,
      database: { standbys: s.standbys, witness: s.control === 'witness' },
    },
    workload: { writesPerSec: s.writesPerSec, ...(s.servers > 0 ? { requestsPerSec: 10 } : {}) },
    events: s.events,
  };
  const parsed = parseScenario(raw);
  if (!parsed.ok) throw new Error(`the generator made an invalid scenario: ${JSON.stringify(parsed.errors)}\n${JSON.stringify(raw)}`);
  return parsed.scenario;
}

interface Ack {
  readonly write: string;
  readonly lsn: number;
  readonly epoch: number;
  /** Who opened `epoch` by hand, where its primary's timeline says so (two timelines of one epoch are told apart by it). */
  readonly openedBy?: string;
  readonly atMs: number;
  /** Acknowledged while its primary named no synchronous standby (a `sync` event with none): durability degraded. */
  readonly degraded: boolean;
}

export interface FullStackResult {
  /** Each failed check, in words: `safety: …` or `liveness: …`. Empty when the run passed. */
  readonly failures: string[];
  /** The whole run as a scenario, heal included, to replay with `npm run sim`. */
  readonly replay: Scenario;
  /** Why only safety was asked of this run (a loss no system heals from alone), or null. */
  readonly onlySafety: string | null;
}

/**
 * Runs a schedule and checks it.
 *
 * Safety, throughout: every invariant of the report holds in the `safe` family (never two
 * writers; Raft's own; epochs), and Raft's in both families; in the `safe` family, where a
 * standby is synchronous, every write acknowledged while a synchronous standby was named (so
 * only once it had flushed it) is still on the final primary's timeline, unless wiped disks
 * destroyed every copy of it (more than one synchronous copy protects against). Writes
 * acknowledged while durability was degraded (a `sync` event with no standbys) are exempt.
 *
 * Liveness, by the end of the convergence time the schedule gives (35–45 s after the heal), when
 * the system can heal by itself (`canHeal`): with orchestrators, one leader; exactly one primary
 * taking writes; a write acknowledged in the last `ACK_WINDOW_MS` (when clients still have a way to
 * the database: `writesCanFlow`); and the configured number of standbys streaming from that
 * primary (the orchestrators replace a node a failover powered off; in the witness setup nothing
 * replaces one, so there a node fenced after the heal is left to an operator and not counted).
 *
 * The ledger, in both families: wherever a primary runs at the end, the report's `writes.lost` is
 * the number of acknowledged writes missing from the newest one (`missingFrom`), and the failovers'
 * shares of the lost writes add up to it.
 */
export function runFullStack(s: FullStackSchedule): FullStackResult {
  const scenario = fullStackScenario(s);
  const acks: Ack[] = [];
  /** Acknowledged writes whose every copy was destroyed by wiped disks: beyond what one synchronous copy promises. */
  const destroyed = new Set<string>();
  const epochOf = new Map<string, number>();
  const openedByHand = new Map<string, TimelineEntry>();
  /** Primaries running degraded now: their latest `sync` event named no standby. */
  const degraded = new Set<string>();
  const fencedAfterHeal = new Set<string>();
  const wiped = new Set<string>();
  let healed = false;
  let sim: Simulation | null = null;
  sim = new Simulation(scenario, {
    keepTrace: false,
    onTrace: (event) => {
      if (event.type === 'writable') {
        epochOf.set(event.node, event.epoch);
        degraded.delete(event.node);
      } else if (event.type === 'sync') {
        if (event.standbys.length === 0) degraded.add(event.node);
        else degraded.delete(event.node);
      } else if (event.type === 'promoted') {
        const opened = event.history?.[event.history.length - 1];
        if (opened?.openedBy !== undefined) openedByHand.set(event.node, opened);
        else openedByHand.delete(event.node);
      } else if (event.type === 'write-ack') {
        const epoch = epochOf.get(event.node) ?? 0;
        const byHand = openedByHand.get(event.node);
        const openedBy = byHand?.epoch === epoch ? byHand.openedBy : undefined;
        acks.push({ write: event.write, lsn: event.lsn, epoch, ...(openedBy === undefined ? {} : { openedBy }), atMs: event.atMs, degraded: degraded.has(event.node) });
      }
      if (event.type === 'down') degraded.delete(event.node);
      if (event.type === 'down' && healed && event.reason.startsWith('fenced')) fencedAfterHeal.add(event.node);
      else if (event.type === 'up') fencedAfterHeal.delete(event.node);
      if (event.type === 'down' && event.diskLost === true) {
        wiped.add(event.node);
        if (sim !== null && event.node.startsWith('db-')) noteDestroyed(sim, acks, destroyed);
      }
    },
  });
  sim.runUntil(s.faultPhaseMs);
  heal(sim);
  healed = true;
  const endMs = s.faultPhaseMs + s.convergeMs;
  sim.runUntil(endMs);
  // What the safe defaults promise is kept for every write acknowledged while a synchronous standby
  // was named; a write acknowledged while degraded (no synchronous standby, non-strict mode) is on
  // its primary's disk alone and is exempt, exactly those.
  const safe = safety(sim, s, acks.filter((ack) => !destroyed.has(ack.write) && !ack.degraded));
  // Even where every copy of some acknowledged writes was destroyed by wiped disks the system heals:
  // the node holding the most of what survives is promoted, and the loss is counted.
  const failures = [...safe, ...ledger(sim, acks), ...liveness(sim, s, acks, fencedAfterHeal, wiped, endMs)];
  return { failures, replay: sim.recordedScenario(), onlySafety: onlySafety(s, sim, wiped) };
}

/** A disk was wiped: the acknowledged writes no database disk holds any more are gone with it (two disks lost, or one holding the only copy). */
function noteDestroyed(sim: Simulation, acks: readonly Ack[], destroyed: Set<string>): void {
  const disks = sim
    .databaseDisks()
    .map((node) => node.disk)
    .filter((disk): disk is DatabaseDisk => disk !== null);
  for (const ack of acks) if (!destroyed.has(ack.write) && !disks.some((disk) => holds(disk, ack))) destroyed.add(ack.write);
}

/** Every network fault gone, power back everywhere, and every node that is down started again (one already replaced stays retired). */
function heal(sim: Simulation): void {
  sim.act({ do: 'heal' });
  for (const region of sim.faults().darkRegions) sim.act({ do: 'region-up', region });
  for (const node of sim.nodes()) {
    if (!node.up && node.replacedBy === undefined && node.view.role !== 'provisioning') sim.act({ do: 'restart', node: node.id });
  }
}

const RAFT_INVARIANTS = new Set(['election-safety', 'log-matching', 'leader-completeness', 'state-machine-safety', 'single-leader', 'leader-append-only', 'current-term-commit', 'monotonic-terms', 'apply-order']);

function safety(sim: Simulation, s: FullStackSchedule, acks: readonly Ack[]): string[] {
  const failures: string[] = [];
  for (const invariant of sim.report().invariants) {
    if (invariant.ok || (s.family === 'operator' && !RAFT_INVARIANTS.has(invariant.name))) continue;
    // The report's check breaks on any lost write, which asynchronous replication (its RPO) and a
    // disk wipe of every copy may cause under the safe defaults too; what the safe defaults promise
    // is checked below, write by write, against the final primary.
    if (invariant.name === 'no-acknowledged-write-lost') continue;
    failures.push(`safety: ${invariant.name}: ${invariant.violations[0]?.message ?? ''}`);
  }
  if (s.family !== 'safe' || !s.standbys.some((b) => b.replication === 'sync')) return failures;
  const primary = theOnePrimary(sim);
  if (primary === null) return failures; // liveness says so
  const disk = sim.databaseDisks().find((node) => node.id === primary)?.disk ?? null;
  if (disk === null) return failures;
  const missing = acks.filter((ack) => !holds(disk, ack));
  if (missing.length > 0) {
    const first = missing[0]!;
    failures.push(
      `safety: ${missing.length} acknowledged write(s) are not on the final primary ${primary}'s timeline ` +
        `(first ${first.write} at LSN ${first.lsn}, epoch ${first.epoch}, acknowledged at ${first.atMs} ms)`,
    );
  }
  return failures;
}

/** `writes.lost` against the acknowledged writes the newest running primary lacks (none runs: nothing to compare). */
function ledger(sim: Simulation, acks: readonly Ack[]): string[] {
  const primaries = sim.databaseDisks().filter((d): d is { id: string; up: boolean; disk: DatabaseDisk } => d.up && d.disk?.role === 'primary');
  const final = primaries.sort((a, b) => b.disk.epoch - a.disk.epoch)[0];
  if (final === undefined) return [];
  const missing = missingFrom(final.disk, acks);
  const report = sim.report();
  const lost = report.writes.lost;
  const failures = lost === missing ? [] : [`ledger: writes.lost is ${lost}, but ${missing} acknowledged writes are missing from the final primary ${final.id}`];
  // Each lost write is counted against one failover: where there were failovers, their shares add up to the total.
  const shares = report.failovers.reduce((sum, f) => sum + f.lostWrites, 0);
  if (report.failovers.length > 0 && shares !== lost) failures.push(`ledger: the failovers' lostWrites add up to ${shares}, but writes.lost is ${lost}`);
  return failures;
}

/** The write is on this disk's timeline: flushed there, in the epoch it was written in, the same record where the WAL still has it. */
function holds(disk: DatabaseDisk, ack: Ack): boolean {
  if (ack.lsn > disk.flushLsn || !onTimeline(disk.history, ack)) return false;
  const record = disk.wal.find((r) => r.lsn === ack.lsn);
  return record === undefined || record.write === ack.write;
}

function theOnePrimary(sim: Simulation): string | null {
  const writable = sim.nodes().filter((n) => n.kind === 'database' && n.up && n.view.role === 'primary' && n.view.detail.writable === true);
  return writable.length === 1 ? writable[0]!.id : null;
}

/** How recent the last acknowledged write must be at the end of the run: a few write intervals and a health check. */
export const ACK_WINDOW_MS = 5_000;

/**
 * Whether the system can heal by itself at all. A wiped witness or orchestrator cannot come back
 * under its identity: without the witness nobody may take over or renew a lease, and with a
 * majority of the orchestrators' configuration lost for good Raft rightly decides nothing more
 * (for example orch-1 dies and is removed, so the configuration is orch-2 and orch-3, and orch-3's
 * disk is wiped before orch-4 joins: two of three lost, which no three-node cluster survives).
 * Both wait for an operator to rebuild them, so only safety is asked of such runs. The
 * configuration is the one a running member holds (its latest, as Raft uses it): the system can
 * heal when some running member's configuration keeps a majority of members not wiped that would
 * vote for it (see `raftCanDecide`).
 */
export function canHeal(s: FullStackSchedule, sim: Simulation, wiped: ReadonlySet<string>): boolean {
  if (s.control === 'witness') return !wiped.has('witness');
  return raftCanDecide(sim, wiped);
}

/**
 * Some running orchestrator could still win an election: the members of its configuration (its
 * latest, as Raft uses it) whose disks were not wiped and that would grant it their vote form a
 * majority. A member whose log is more up to date than the candidate's never grants it (Raft
 * §5.4.1), and without a leader no log changes, so counting such a member misjudges: in the run
 * raft5-orchestrator-removal-pending-majority-wiped the only member holding the committed entries
 * (orch-4) acts on its uncommitted `config remove orch-1`, whose majority lost two disks, while
 * the members whose configuration still has a majority (orch-1, orch-2) lack those entries and are
 * refused by orch-4. A member whose log cannot be read now (down, not wiped) is counted, as before.
 */
export function raftCanDecide(sim: Simulation, wiped: ReadonlySet<string>): boolean {
  const nodes = sim.nodes();
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const gone = (id: string) => wiped.has(id) && byId.get(id)?.up !== true;
  return nodes.some((n) => {
    if (n.kind !== 'orchestrator' || !n.up) return false;
    const members = String(n.view.detail.members ?? '')
      .split(',')
      .map((m) => m.trim())
      .filter((m) => m.startsWith('orch-'));
    if (!members.includes(n.id)) return false;
    const candidate = lastLog(n);
    const wouldVote = (m: string) => {
      const voter = byId.get(m);
      const last = voter === undefined ? null : lastLog(voter);
      return candidate === null || last === null || !moreUpToDate(last, candidate);
    };
    return members.filter((m) => !gone(m) && wouldVote(m)).length >= Math.floor(members.length / 2) + 1;
  });
}

/** The term and index of a node's last log entry, or null when its view does not show them. */
function lastLog(n: ReturnType<Simulation['nodes']>[number]): { term: number; index: number } | null {
  const index = n.view.detail.logLength;
  if (typeof index !== 'number') return null;
  if (index === 0) return { term: 0, index: 0 };
  const term = n.view.log?.at(-1)?.term;
  return term === undefined ? null : { term, index };
}

function moreUpToDate(a: { term: number; index: number }, b: { term: number; index: number }): boolean {
  return a.term > b.term || (a.term === b.term && a.index > b.index);
}

/**
 * Some database machine that can still run (not retired by a replacement) holds data. When none
 * does (the last copy was on a node the orchestrators retired, and every other disk was wiped or
 * never got its base backup), nothing may be promoted without losing every write: the system
 * rightly waits for an operator's restore, so only safety is asked.
 */
function dataLeft(sim: Simulation): boolean {
  const retired = new Set(sim.nodes().flatMap((n) => (n.replacedBy === undefined ? [] : [n.id])));
  return sim.databaseDisks().some((d) => !retired.has(d.id) && d.disk !== null && d.disk.history.length > 0);
}

/** Some retired database machine still holds data (else every copy was wiped). */
function dataRetired(sim: Simulation): boolean {
  const retired = new Set(sim.nodes().flatMap((n) => (n.replacedBy === undefined ? [] : [n.id])));
  return sim.databaseDisks().some((d) => retired.has(d.id) && d.disk !== null && d.disk.history.length > 0);
}

/**
 * With API servers, clients write through the load balancer and a server. A wiped load balancer
 * is never replaced, and without orchestrators nobody replaces a wiped server: when no path is
 * left, no write can reach the database, whatever it does.
 */
function writesCanFlow(s: FullStackSchedule, sim: Simulation, wiped: ReadonlySet<string>): boolean {
  if (s.servers === 0) return true;
  if (wiped.has('lb')) return false;
  return sim.nodes().some((n) => n.kind === 'server' && n.up);
}

/** Why liveness was not asked of a run (see `canHeal`, `dataLeft`), or null when it was. */
function onlySafety(s: FullStackSchedule, sim: Simulation, wiped: ReadonlySet<string>): string | null {
  if (!canHeal(s, sim, wiped)) return s.control === 'witness' ? 'the witness was wiped' : 'no Raft majority of members with their disks';
  if (!dataLeft(sim)) return dataRetired(sim) ? 'the last copy of the data is on a retired machine' : 'every copy of the data was wiped';
  return null;
}

function liveness(sim: Simulation, s: FullStackSchedule, acks: readonly Ack[], fencedAfterHeal: ReadonlySet<string>, wiped: ReadonlySet<string>, endMs: number): string[] {
  const failures: string[] = [];
  if (!canHeal(s, sim, wiped) || !dataLeft(sim)) return failures;
  const nodes = sim.nodes();
  const after = `${s.convergeMs} ms after the heal`;
  if (s.control !== 'witness') {
    const leaders = nodes.filter((n) => n.kind === 'orchestrator' && n.up && n.view.role === 'leader');
    if (leaders.length === 0) failures.push(`liveness: no orchestrator leads ${after}`);
  }
  const primaries = nodes.filter((n) => n.kind === 'database' && n.up && n.view.role === 'primary' && n.view.detail.writable === true).map((n) => n.id);
  if (primaries.length !== 1) {
    const roles = nodes.filter((n) => n.kind === 'database').map((n) => `${n.id} ${n.up ? n.view.role : 'down'} e${n.view.term}`);
    failures.push(`liveness: ${primaries.length} primaries taking writes ${after} (${roles.join(', ')})`);
    return failures;
  }
  const primary = primaries[0]!;
  const lastAck = acks.length > 0 ? acks[acks.length - 1]!.atMs : -Infinity;
  if (writesCanFlow(s, sim, wiped) && lastAck < endMs - ACK_WINDOW_MS) failures.push(`liveness: no write acknowledged in the last ${ACK_WINDOW_MS} ms of the run (last at ${lastAck} ms), ${after}`);
  const streaming = nodes.filter((n) => n.kind === 'database' && n.up && n.view.role === 'standby' && n.view.detail.upstream === primary);
  const expected = s.standbys.length - (s.control === 'witness' ? [...fencedAfterHeal].filter((id) => id.startsWith('db-')).length : 0);
  if (streaming.length < expected) {
    const roles = nodes.filter((n) => n.kind === 'database' && n.id !== primary).map((n) => `${n.id} ${n.up ? `${n.view.role} of ${String(n.view.detail.upstream)}` : 'down'}`);
    failures.push(`liveness: ${streaming.length} of ${expected} standbys follow the primary ${primary} ${after} (${roles.join(', ')})`);
  }
  return failures;
}
