/**
 * The orchestrators' second job, beside watching the database: keeping the stateless tier alive,
 * and keeping themselves alive. It is the article's recursion of watchers, made concrete:
 *
 * - Every API server is assigned to one worker (an orchestrator that does not lead) by an
 *   `assign <server> <worker>` entry in the Raft log, so the assignment outlives any orchestrator.
 *   The worker health-checks its servers; after `failureThreshold` failed checks in a row it
 *   proposes `replace <dead> <new>`, and once that is committed it asks the cloud for the new
 *   machine (`provision`), takes the dead one out of the load balancer and, when the new one answers,
 *   puts it in (`LbAdd`) and records `in-service <new>` in the log.
 * - The leader health-checks the workers. A worker that fails `failureThreshold` checks is replaced
 *   the same way, and the replacement joins the cluster by single-server membership changes in the
 *   log (`config remove <dead>`, then `config add <new>` once the new machine answers; Raft
 *   dissertation §4.1). The dead worker's servers go to the others (new `assign` entries).
 * - A replacement may be committed long after it was decided (by a leader cut off at the time that
 *   wins again later). So the leader acts on it only once its own checks show the member dead; a
 *   member that answers keeps its place (`keep <node>` cancels the replacement in the log). And it
 *   never removes a member when the configuration left would lack a majority of members it hears:
 *   then it waits (the replacement could not join either, and starting it would retire the dead
 *   member, which may still come back).
 * - Who leads is decided by Raft; when the leader dies, the next one takes over all of this from
 *   the log, including a replacement half done (each step is repeated until the log says it is
 *   done, and each is harmless to repeat).
 * - With a single orchestrator it watches the servers itself; when it dies, nothing watches
 *   anything any more: the watcher problem.
 *
 * New ids come from the log (`nextApi`, `nextOrch`: one above any id the log has named), so every
 * agent that applies the log agrees on them. These duties exist only when the scenario has API
 * servers; without them the orchestrators are left as they were (and every run stays the same).
 */
import type { NodeId, NodeTrace, ReplaceStep } from '../protocol';
import type { ProgramInput } from '../program';
import { NO_STEP, type Step } from '../step';
import type { AgentContext, AgentEffect, AgentMessage, DutyState, HealthChecks, Replay } from './types';

export const DUTY_TIMER = {
  tick: 'duty-tick',
  timeoutPrefix: 'duty-timeout:',
} as const;

export type DutyStep = Step<AgentContext, AgentMessage>;

// ---- commands --------------------------------------------------------------------------------

type DutyCommand =
  | { kind: 'assign'; server: NodeId; worker: NodeId }
  | { kind: 'replace'; dead: NodeId; replacement: NodeId }
  | { kind: 'in-service'; node: NodeId }
  | { kind: 'keep'; node: NodeId }
  | { kind: 'config'; op: 'add' | 'remove'; node: NodeId };

export function parseDutyCommand(cmd: string): DutyCommand | null {
  const parts = cmd.split(' ');
  if (parts[0] === 'assign' && parts.length === 3) return { kind: 'assign', server: parts[1]!, worker: parts[2]! };
  if (parts[0] === 'replace' && parts.length === 3) return { kind: 'replace', dead: parts[1]!, replacement: parts[2]! };
  if (parts[0] === 'in-service' && parts.length === 2) return { kind: 'in-service', node: parts[1]! };
  if (parts[0] === 'keep' && parts.length === 2) return { kind: 'keep', node: parts[1]! };
  if (parts[0] === 'config' && parts.length === 3 && (parts[1] === 'add' || parts[1] === 'remove')) return { kind: 'config', op: parts[1], node: parts[2]! };
  return null;
}

function numberOf(id: NodeId): number {
  const match = /-(\d+)$/.exec(id);
  return match ? Number(match[1]) : 0;
}

const isServer = (id: NodeId) => id.startsWith('api-');

// ---- boot ------------------------------------------------------------------------------------

export function initialDuties(input: ProgramInput<null>): DutyState {
  const { orchestrators, servers } = input.topology;
  return {
    enabled: servers > 0 && input.topology.election === 'raft' && orchestrators > 0,
    leader: false,
    members: Array.from({ length: orchestrators }, (_, i) => `orch-${i + 1}`),
    servers: Array.from({ length: servers }, (_, i) => `api-${i + 1}`),
    assignments: {},
    replaced: {},
    inService: {},
    nextApi: servers + 1,
    nextOrch: orchestrators + 1,
    seq: 0,
    awaiting: {},
    failures: {},
    answered: {},
    lbListed: {},
    proposed: {},
    replay: { bootTerm: null, through: null, lastApplied: 0, next: false },
  };
}

class DutyChange {
  readonly effects: AgentEffect[] = [];
  constructor(
    readonly ctx: AgentContext,
    public d: DutyState,
  ) {}
  set(patch: Partial<DutyState>): void {
    this.d = { ...this.d, ...patch };
  }
  /**
   * Puts a command in the log: the leader's agent hands it to its Raft member (once, until it is
   * applied or refused); any other agent asks every member's agent, and whichever leads proposes
   * it (a follower's Raft member would refuse a client command).
   */
  propose(cmd: string): void {
    if (!this.d.leader) {
      for (const m of this.d.members) if (m !== this.ctx.id) this.effects.push({ type: 'send', to: m, msg: { type: 'DutyPropose', cmd } });
      return;
    }
    if (this.d.proposed[cmd]) return;
    this.set({ proposed: { ...this.d.proposed, [cmd]: true } });
    this.effects.push({ type: 'local-propose', cmd });
  }
  trace(event: NodeTrace): void {
    this.effects.push({ type: 'trace', event });
  }
  replaceStep(step: ReplaceStep, dead: NodeId, replacement: NodeId | null, text: string): void {
    this.trace({ type: 'replace', step, dead, replacement, text });
  }
}

function run(ctx: AgentContext, body: (c: DutyChange) => void): DutyStep {
  if (!ctx.duties.enabled) return NO_STEP;
  const change = new DutyChange(ctx, ctx.duties);
  body(change);
  return { patch: change.d === ctx.duties ? {} : { duties: change.d }, effects: change.effects };
}

export function bootDuties(ctx: AgentContext): DutyStep {
  return run(ctx, (c) => c.effects.push({ type: 'set-timer', name: DUTY_TIMER.tick, afterMs: ctx.settings.healthCheck.intervalMs }));
}

// ---- who watches whom --------------------------------------------------------------------------

const isMember = (d: DutyState, id: NodeId) => d.members.includes(id);

/** The replacement decided for `node`, if any. */
const replacementOf = (d: DutyState, node: NodeId): NodeId | undefined => d.replaced[node];

/** Members other than the leader (or, with one member, the leader itself) that are not known dead. */
function liveWorkers(ctx: AgentContext, d: DutyState): NodeId[] {
  const threshold = ctx.settings.healthCheck.failureThreshold;
  const others = d.members.filter((m) => m !== ctx.id && replacementOf(d, m) === undefined && (d.failures[m] ?? 0) < threshold);
  return others.length > 0 ? others : [ctx.id];
}

/** The nodes this agent health-checks now. */
export function dutyWatched(ctx: AgentContext): NodeId[] {
  const d = ctx.duties;
  if (!d.enabled || !isMember(d, ctx.id)) return [];
  const watched = d.servers.filter((s) => d.assignments[s] === ctx.id);
  if (d.leader) {
    // Every other member, a doomed one too: its replacement goes on only while it stays dead.
    for (const m of d.members) if (m !== ctx.id) watched.push(m);
    // A replacement orchestrator on its way in: checked so the leader knows when to add it.
    for (const dead of Object.keys(d.replaced)) {
      const replacement = d.replaced[dead]!;
      if (!isServer(replacement) && !isMember(d, replacement)) watched.push(replacement);
    }
  }
  return watched;
}

/** Everyone an agent watches, for the page: its duties, and the database while it drives failover. */
export function watchedBy(ctx: AgentContext): NodeId[] {
  const watched = dutyWatched(ctx);
  const watchingDb = ctx.active && (!ctx.settings.quorum || ctx.leading);
  return watchingDb ? [...watched, ...ctx.databases] : watched;
}

// ---- what the Raft member reports ---------------------------------------------------------------

export function dutiesOnMember(ctx: AgentContext, event: NodeTrace): DutyStep {
  const replay = replayAfter(ctx.duties.replay, event);
  if (replay === ctx.duties.replay) return dutiesOnMemberNow(ctx, event);
  // Kept even when the duties are off: the database's replacements read it too.
  const now = { ...ctx, duties: { ...ctx.duties, replay } };
  const step = dutiesOnMemberNow(now, event, isReplayed(ctx.duties.replay, event));
  return { patch: { duties: { ...now.duties, ...step.patch.duties } }, effects: step.effects };
}

/** Whether an entry applied now is one the member re-reads after a restart (see `Replay`). */
function isReplayed(replay: Replay, event: NodeTrace): boolean {
  return event.type === 'apply' && replay.through !== null && event.index <= replay.through;
}

function replayAfter(replay: Replay, event: NodeTrace): Replay {
  if (event.type === 'role' && replay.bootTerm === null) return { ...replay, bootTerm: event.term };
  if (event.type === 'commit' && replay.through === null) {
    const through = (replay.bootTerm ?? 0) > 0 ? event.index : 0;
    return { ...replay, through, next: replay.lastApplied + 1 <= through };
  }
  if (event.type === 'apply') return { ...replay, lastApplied: event.index, next: replay.through !== null && event.index + 1 <= replay.through };
  return replay;
}

function dutiesOnMemberNow(ctx: AgentContext, event: NodeTrace, replayed = false): DutyStep {
  if (event.type === 'role') {
    const leader = event.role === 'leader';
    if (leader === ctx.duties.leader) return NO_STEP;
    return run(ctx, (c) => {
      // A new leader judges who is alive by its own checks only.
      c.set({ leader, proposed: {}, failures: {}, awaiting: {}, answered: {} });
      if (leader) maintain(c);
    });
  }
  if (event.type === 'apply') return run(ctx, (c) => applied(c, event.cmd, replayed));
  return NO_STEP;
}

/** The member refused a proposal (it does not lead, or a membership change is under way): propose it again later. */
export function dutiesOnMemberReply(ctx: AgentContext, cmd: string, accepted: boolean): DutyStep {
  if (accepted || !ctx.duties.proposed[cmd]) return NO_STEP;
  return run(ctx, (c) => {
    const proposed = { ...c.d.proposed };
    delete proposed[cmd];
    c.set({ proposed });
  });
}

/** An entry applied; `replayed`: re-read after a restart, so its work is rebuilt but nothing is said (see `Replay`). */
function applied(c: DutyChange, cmd: string, replayed: boolean): void {
  const command = parseDutyCommand(cmd);
  if (command === null) return;
  if (c.d.proposed[cmd]) {
    const proposed = { ...c.d.proposed };
    delete proposed[cmd];
    c.set({ proposed });
  }
  const me = c.ctx.id;
  switch (command.kind) {
    case 'assign': {
      if (!c.d.servers.includes(command.server) || c.d.assignments[command.server] === command.worker) return;
      c.set({ assignments: { ...c.d.assignments, [command.server]: command.worker } });
      if (command.worker === me && !replayed) {
        c.trace({ type: 'assign', server: command.server, worker: me, text: `${me} now watches ${command.server} (assigned in the log)` });
      }
      return;
    }
    case 'replace': {
      const { dead, replacement } = command;
      const known = c.d.servers.includes(replacement) || isMember(c.d, replacement) || Object.values(c.d.replaced).includes(replacement);
      if (c.d.replaced[dead] !== undefined || known) return; // decided already, or that id is taken
      c.set({ replaced: { ...c.d.replaced, [dead]: replacement } });
      if (isServer(dead)) {
        const assignments = { ...c.d.assignments, [replacement]: c.d.assignments[dead] ?? me };
        delete assignments[dead];
        c.set({ servers: [...c.d.servers.filter((s) => s !== dead), replacement], assignments, nextApi: Math.max(c.d.nextApi, numberOf(replacement) + 1) });
        if (assignments[replacement] === me) {
          if (!replayed) c.replaceStep('decide', dead, replacement, `the orchestrators committed the replacement of ${dead} by ${replacement} in their log`);
          startServer(c, dead, replacement, replayed);
        }
      } else {
        c.set({ nextOrch: Math.max(c.d.nextOrch, numberOf(replacement) + 1) });
        if (c.d.leader) {
          if (!replayed) c.replaceStep('decide', dead, replacement, `the orchestrators committed the replacement of ${dead} by ${replacement} in their log`);
          if (isMember(c.d, dead)) judgeAfresh(c, dead);
          maintain(c);
        }
      }
      return;
    }
    case 'in-service': {
      if (c.d.inService[command.node]) return;
      c.set({ inService: { ...c.d.inService, [command.node]: true } });
      const dead = Object.keys(c.d.replaced).find((k) => c.d.replaced[k] === command.node);
      const responsible = isServer(command.node) ? c.d.assignments[command.node] === me : c.d.leader;
      if (dead !== undefined && responsible && !replayed) {
        const text = isServer(command.node)
          ? `${command.node} answers and is in the load balancer: it has taken over from ${dead}`
          : `${command.node} joined the orchestrator cluster in place of ${dead}`;
        c.replaceStep('in-service', dead, command.node, text);
      }
      return;
    }
    case 'keep': {
      const replacement = c.d.replaced[command.node];
      if (replacement === undefined || !isMember(c.d, command.node)) return;
      const replaced = { ...c.d.replaced };
      delete replaced[command.node];
      c.set({ replaced });
      if (c.d.leader && !replayed) c.replaceStep('skip', command.node, replacement, `${command.node} answers the leader's checks: the replacement by ${replacement} decided earlier is skipped`);
      return;
    }
    case 'config': {
      const members = command.op === 'add' ? (isMember(c.d, command.node) ? c.d.members : [...c.d.members, command.node]) : c.d.members.filter((m) => m !== command.node);
      c.set({ members });
      if (command.op === 'add') c.set({ nextOrch: Math.max(c.d.nextOrch, numberOf(command.node) + 1) });
      return;
    }
  }
}

/** The worker of a server replacement: the cloud starts the new machine; the dead one leaves the load balancer. */
function startServer(c: DutyChange, dead: NodeId, replacement: NodeId, replayed: boolean): void {
  c.effects.push({ type: 'provision', node: replacement, kind: 'server', replaces: dead });
  c.effects.push({ type: 'send', to: 'lb', msg: { type: 'LbRemove', server: dead } });
  if (!replayed) c.replaceStep('provision', dead, replacement, `${c.ctx.id} asks the cloud for ${replacement}; it takes ${(c.ctx.settings.provisionMs / 1000).toFixed(1)} s to start`);
}

// ---- timers --------------------------------------------------------------------------------------

export function dutiesOnTimer(ctx: AgentContext, name: string): DutyStep {
  if (name === DUTY_TIMER.tick) return run(ctx, tick);
  if (name.startsWith(DUTY_TIMER.timeoutPrefix)) return run(ctx, (c) => timedOut(c, name.slice(DUTY_TIMER.timeoutPrefix.length)));
  return NO_STEP;
}

function tick(c: DutyChange): void {
  c.effects.push({ type: 'set-timer', name: DUTY_TIMER.tick, afterMs: c.ctx.settings.healthCheck.intervalMs });
  if (!isMember(c.d, c.ctx.id)) return;
  for (const node of dutyWatched({ ...c.ctx, duties: c.d })) {
    // Normally the timeout has counted an unanswered check already; not when timeoutMs ≥ intervalMs.
    if (c.d.awaiting[node] !== undefined) countFailure(c, node);
    const seq = c.d.seq + 1;
    c.set({ seq, awaiting: { ...c.d.awaiting, [node]: seq } });
    c.effects.push({ type: 'send', to: node, msg: { type: 'ServerCheck', seq } });
    c.effects.push({ type: 'set-timer', name: DUTY_TIMER.timeoutPrefix + node, afterMs: c.ctx.settings.healthCheck.timeoutMs });
  }
  finishServerReplacements(c);
  if (c.d.leader) maintain(c);
}

/** `awaiting` without `node`'s check: it was answered, or is given up on. */
export function withoutCheck(awaiting: HealthChecks['awaiting'], node: NodeId): HealthChecks['awaiting'] {
  const rest = { ...awaiting };
  delete rest[node];
  return rest;
}

function timedOut(c: DutyChange, node: NodeId): void {
  if (c.d.awaiting[node] === undefined) return;
  c.set({ awaiting: withoutCheck(c.d.awaiting, node) });
  countFailure(c, node);
}

function countFailure(c: DutyChange, node: NodeId): void {
  const failures = (c.d.failures[node] ?? 0) + 1;
  c.set({ failures: { ...c.d.failures, [node]: failures } });
  const threshold = c.ctx.settings.healthCheck.failureThreshold;
  // Every `threshold` failures in a row it asks again, in case the first request was lost with a leader.
  if (failures % threshold !== 0) return;
  // A replacement still on its way in is not judged yet: it may simply not have booted.
  const pending = Object.values(c.d.replaced).includes(node) && !c.d.inService[node];
  if (pending || replacementOf(c.d, node) !== undefined) return;
  const first = failures === threshold;
  if (isServer(node) && c.d.assignments[node] === c.ctx.id) {
    const replacement = `api-${c.d.nextApi}`;
    if (first) c.replaceStep('detect', node, replacement, `${node} failed ${threshold} health checks in a row; ${c.ctx.id} asks the cluster to replace it with ${replacement}`);
    c.propose(`replace ${node} ${replacement}`);
  } else if (!isServer(node) && c.d.leader && isMember(c.d, node)) {
    const replacement = `orch-${c.d.nextOrch}`;
    if (first) c.replaceStep('detect', node, replacement, `worker ${node} failed ${threshold} health checks in a row; leader ${c.ctx.id} replaces it with ${replacement}`);
    c.propose(`replace ${node} ${replacement}`);
  }
}

// ---- answers --------------------------------------------------------------------------------------

export function dutiesOnCheck(_ctx: AgentContext, from: NodeId, seq: number): DutyStep {
  // Any living agent answers, member or not: being alive is what the check asks.
  return { patch: {}, effects: [{ type: 'send', to: from, msg: { type: 'ServerOk', seq } }] };
}

/** Another agent asks the leader to put a command in the log. */
export function dutiesOnPropose(ctx: AgentContext, cmd: string): DutyStep {
  if (!ctx.duties.leader || parseDutyCommand(cmd) === null) return NO_STEP;
  return run(ctx, (c) => c.propose(cmd));
}

export function dutiesOnOk(ctx: AgentContext, from: NodeId, seq: number): DutyStep {
  if (ctx.duties.awaiting[from] !== seq) return NO_STEP;
  return run(ctx, (c) => {
    c.effects.push({ type: 'cancel-timer', name: DUTY_TIMER.timeoutPrefix + from });
    c.set({ awaiting: withoutCheck(c.d.awaiting, from), failures: { ...c.d.failures, [from]: 0 }, answered: { ...c.d.answered, [from]: true } });
    finishServerReplacements(c);
    if (c.d.leader) maintain(c);
  });
}

/** For each server replacement this worker owns and the log does not yet call in service: push it on. */
function finishServerReplacements(c: DutyChange): void {
  for (const dead of Object.keys(c.d.replaced)) {
    const replacement = c.d.replaced[dead]!;
    if (!isServer(replacement) || c.d.inService[replacement] || c.d.assignments[replacement] !== c.ctx.id) continue;
    if (!c.d.answered[replacement]) {
      c.effects.push({ type: 'provision', node: replacement, kind: 'server', replaces: dead }); // harmless if it exists
      continue;
    }
    // Until the load balancer confirms it lists the new server, ask again each round (a request
    // may be lost, or the load balancer down or cut off); then the log records it in service.
    if (!c.d.lbListed[replacement]) {
      c.effects.push({ type: 'send', to: 'lb', msg: { type: 'LbRemove', server: dead } });
      c.effects.push({ type: 'send', to: 'lb', msg: { type: 'LbAdd', server: replacement } });
    } else c.propose(`in-service ${replacement}`);
  }
}

/** The load balancer confirms it lists (or dropped) a server: the replacement can be recorded in service. */
export function dutiesOnLbAck(ctx: AgentContext, server: NodeId, listed: boolean): DutyStep {
  if (!listed || ctx.duties.lbListed[server]) return NO_STEP;
  return run(ctx, (c) => {
    c.set({ lbListed: { ...c.d.lbListed, [server]: true } });
    finishServerReplacements(c);
  });
}

// ---- the leader's work ------------------------------------------------------------------------------

/**
 * What the leader keeps true, one step at a time (each step is proposed again until the log shows
 * it done): every server assigned to a live worker; every dead orchestrator removed from the
 * configuration, its replacement provisioned, added once it answers, then marked in service.
 */
function maintain(c: DutyChange): void {
  const { ctx } = c;
  const workers = liveWorkers(ctx, c.d);
  const load = (w: NodeId) => c.d.servers.filter((s) => c.d.assignments[s] === w).length;
  for (const server of c.d.servers) {
    const worker = c.d.assignments[server];
    if (worker !== undefined && workers.includes(worker)) continue;
    const best = [...workers].sort((a, b) => load(a) - load(b) || numberOf(a) - numberOf(b))[0]!;
    c.propose(`assign ${server} ${best}`);
  }
  // One membership change at a time: each branch below ends the pass.
  for (const dead of Object.keys(c.d.replaced)) {
    const replacement = c.d.replaced[dead]!;
    if (isServer(replacement) || c.d.inService[replacement]) continue;
    const still = isMember(c.d, dead);
    if (still && heardAlive(c.d, dead)) {
      c.propose(`keep ${dead}`);
      return;
    }
    // Decided, maybe long ago: this leader's own checks must show the member dead now.
    if (still && (c.d.failures[dead] ?? 0) < ctx.settings.healthCheck.failureThreshold) return;
    if (still) {
      // Removing it would leave a configuration without a majority this leader hears, and adding the
      // replacement first needs one more answer than that: nothing could commit either way. Starting
      // the new machine now would only retire the dead member, which may yet come back with its log
      // (a crash, not a lost disk) and give the majority back: wait.
      if (keepsMajority(ctx, c.d, dead)) c.propose(`config remove ${dead}`);
      return;
    }
    if (!isMember(c.d, replacement)) {
      c.effects.push({ type: 'provision', node: replacement, kind: 'orchestrator', replaces: dead });
      if (c.d.answered[replacement]) c.propose(`config add ${replacement}`);
      else if (!c.d.proposed[`provision ${replacement}`]) {
        c.set({ proposed: { ...c.d.proposed, [`provision ${replacement}`]: true } });
        c.replaceStep('provision', dead, replacement, `${ctx.id} asks the cloud for ${replacement}; it takes ${(ctx.settings.provisionMs / 1000).toFixed(1)} s to start`);
      }
      return;
    }
    c.propose(`in-service ${replacement}`);
    return;
  }
}

/**
 * A replacement of a member was just committed, maybe long after it was proposed (the leader could
 * not commit while it was cut off, or a majority was down): the member may have come back a moment
 * ago, and its Raft member's answer may be what let the entry commit. Failures counted before the
 * commit, and the check still in flight (sent maybe while it was down), do not decide: it is
 * replaced only if a check sent from now on goes unanswered too; if it answers, it keeps its place.
 */
function judgeAfresh(c: DutyChange, member: NodeId): void {
  const threshold = c.ctx.settings.healthCheck.failureThreshold;
  c.effects.push({ type: 'cancel-timer', name: DUTY_TIMER.timeoutPrefix + member });
  c.set({ awaiting: withoutCheck(c.d.awaiting, member), failures: { ...c.d.failures, [member]: Math.min(c.d.failures[member] ?? 0, threshold - 1) } });
}

/** The member answered this leader's latest check. */
function heardAlive(d: DutyState, node: NodeId): boolean {
  return d.answered[node] === true && (d.failures[node] ?? 0) === 0;
}

/**
 * Whether the configuration without `dead` still has a majority of members this leader hears
 * (itself included): removing a member must not leave a cluster that can never commit again.
 */
function keepsMajority(ctx: AgentContext, d: DutyState, dead: NodeId): boolean {
  const left = d.members.filter((m) => m !== dead);
  const heard = left.filter((m) => m === ctx.id || heardAlive(d, m)).length;
  return heard >= Math.floor(left.length / 2) + 1;
}
