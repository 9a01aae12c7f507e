/**
 * The report of a run: what `npm run sim --json` prints and what the page
 * downloads. Built from the trace and the final state only, so the CLI and the page, running
 * the same scenario and seed, produce the same bytes.
 */
import type { InvariantResult } from '../check/invariants';
import type { NodeId } from '../machines/protocol';
import type { Scenario } from '../scenario/types';
import type { TraceEvent } from '../trace/trace';
import { gradeReport } from '../challenge/grade';
import type { Recovery, Report } from './types';

export type { Recovery, Report } from './types';

interface RecoveryRecord {
  node: NodeId;
  replacement: NodeId | null;
  downAtMs: number | null;
  detectedAtMs: number | null;
  inServiceAtMs: number | null;
  /** The new machine was asked of the cloud: a replacement made, not only proposed or decided. */
  provisioned: boolean;
}

export interface ReportEnd {
  readonly scenario: Scenario;
  readonly endMs: number;
  readonly invariants: readonly InvariantResult[];
  readonly nodes: Report['nodes'];
  readonly stats: Report['stats'];
  readonly writes: Report['writes'];
  readonly rpo: Report['rpo'];
  readonly rto: Report['rto'];
  readonly failovers: Report['failovers'];
  readonly requests: Report['requests'];
  /** Of `writes.lost`, those acknowledged while durability was degraded (the write ledger's count). */
  readonly lostDegraded: number;
}

/**
 * Gathers the report's figures while the run goes, one trace event at a time, so a long run
 * need not keep its whole trace in memory to be reported.
 */
export class ReportBuilder {
  private readonly leaders: Report['leaders'] = [];
  private readonly primaries: Report['primaries'] = [];
  /** Replacements by dead node, in the order they were decided. */
  private readonly recoveries = new Map<NodeId, RecoveryRecord>();
  /** When each node last went down. */
  private readonly lastDown = new Map<NodeId, number>();
  /** Primaries degraded now (their latest `sync` event named no standby, and they still take writes), since when. */
  private readonly degradedSince = new Map<NodeId, number>();
  private degradedMs = 0;
  private acknowledgedDegraded = 0;

  private observeDurability(event: TraceEvent): void {
    if (event.type === 'sync') {
      if (event.standbys.length === 0) {
        if (!this.degradedSince.has(event.node)) this.degradedSince.set(event.node, event.atMs);
      } else this.endDegraded(event.node, event.atMs);
    } else if (event.type === 'write-ack') {
      if (this.degradedSince.has(event.node)) this.acknowledgedDegraded++;
    } else if ((event.type === 'writable' && !event.on) || event.type === 'down') {
      this.endDegraded(event.node, event.atMs);
    }
  }

  private endDegraded(node: NodeId, atMs: number): void {
    const since = this.degradedSince.get(node);
    if (since === undefined) return;
    this.degradedMs += atMs - since;
    this.degradedSince.delete(node);
  }

  private durability(endMs: number, lostDegraded: number): Report['durability'] {
    let degradedMs = this.degradedMs;
    let degradedSinceMs: number | null = null;
    for (const since of this.degradedSince.values()) {
      degradedMs += Math.max(0, endMs - since);
      degradedSinceMs = degradedSinceMs === null ? since : Math.min(degradedSinceMs, since);
    }
    return { degradedMs, acknowledgedDegraded: this.acknowledgedDegraded, lostDegraded, degradedSinceMs };
  }

  observe(event: TraceEvent): void {
    this.observeDurability(event);
    if (event.type === 'leader') this.leaders.push({ atMs: event.atMs, term: event.term, node: event.node });
    else if (event.type === 'writable' && event.on) this.primaries.push({ atMs: event.atMs, node: event.node });
    else if (event.type === 'down') this.lastDown.set(event.node, event.atMs);
    else if (event.type === 'replace') this.observeReplace(event.dead, event.step, event.replacement, event.atMs);
    else if (event.type === 'backend' && event.in) this.inService(event.server, event.atMs);
  }

  private observeReplace(dead: NodeId, step: string, replacement: NodeId | null, atMs: number): void {
    let record = this.recoveries.get(dead);
    // A replacement proposed but never made (its proposal lost with a leader, or skipped because
    // the node answered again) does not count: a later detection starts the record afresh.
    if (record && !record.provisioned && (step === 'detect' || step === 'skip')) {
      this.recoveries.delete(dead);
      record = undefined;
      if (step === 'skip') return;
    }
    if (!record) {
      record = { node: dead, replacement: null, downAtMs: this.lastDown.get(dead) ?? null, detectedAtMs: null, inServiceAtMs: null, provisioned: false };
      this.recoveries.set(dead, record);
    }
    if (step === 'detect' && record.detectedAtMs === null) record.detectedAtMs = atMs;
    // A detection only proposes a name; the log may decide another one, or skip the replacement.
    if (replacement !== null && (step === 'decide' || step === 'provision' || record.replacement === null)) record.replacement = replacement;
    if (step === 'provision') record.provisioned = true;
    // An orchestrator is in service when it joined the cluster, a database node once caught up as a standby; a server when the load balancer takes it (below).
    if (step === 'in-service' && (dead.startsWith('orch-') || dead.startsWith('db-'))) this.inService(replacement ?? '', atMs);
  }

  private inService(node: NodeId, atMs: number): void {
    for (const record of this.recoveries.values()) if (record.replacement === node && record.inServiceAtMs === null) record.inServiceAtMs = atMs;
  }

  private recoveryList(prefix: string): Recovery[] {
    const list: Recovery[] = [];
    for (const r of this.recoveries.values()) {
      if (!r.node.startsWith(prefix) || r.replacement === null || !r.provisioned) continue;
      const recoveryMs = r.inServiceAtMs !== null && r.downAtMs !== null ? r.inServiceAtMs - r.downAtMs : null;
      list.push({ node: r.node, replacement: r.replacement, downAtMs: r.downAtMs, detectedAtMs: r.detectedAtMs, inServiceAtMs: r.inServiceAtMs, recoveryMs });
    }
    return list;
  }

  build({ scenario, endMs, invariants, nodes, stats, writes, rpo, rto, failovers, requests, lostDegraded }: ReportEnd): Report {
    const servers = this.recoveryList('api-');
    const orchestrators = this.recoveryList('orch-');
    const databases = this.recoveryList('db-');
    const report: Report = {
      version: 1,
      title: scenario.title,
      seed: scenario.seed,
      durationMs: endMs,
      leaders: [...this.leaders],
      primaries: [...this.primaries],
      failovers,
      writes,
      rpo,
      rto,
      servers: { replacements: servers.length, recoveries: servers },
      orchestrators: { replacements: orchestrators.length, recoveries: orchestrators },
      databases: { replacements: databases.length, recoveries: databases },
      requests,
      durability: this.durability(endMs, lostDegraded),
      invariants: invariants.map((r) => ({ name: r.name, ok: r.ok, violations: violationsOf(r, writes.lost) })),
      nodes,
      stats,
    };
    return scenario.challenge ? { ...report, challenge: gradeReport(scenario.challenge, report) } : report;
  }
}

/**
 * An invariant's violations for the report. `no-acknowledged-write-lost` is told as a promotion
 * leaves writes behind; a later promotion of a node holding them may bring them all back, and then
 * its last violation says that none is lost at the end.
 */
function violationsOf(r: InvariantResult, lost: number): { atMs: number; message: string }[] {
  const cameBack = r.name === 'no-acknowledged-write-lost' && lost === 0;
  const last = r.violations.length - 1;
  return r.violations.map((v, i) => ({ atMs: v.atMs, message: cameBack && i === last ? `${v.message} A node holding them was promoted later: none is lost at the end.` : v.message }));
}
