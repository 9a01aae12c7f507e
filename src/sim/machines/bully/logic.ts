/**
 * The rules of Garcia-Molina's Bully election as plain functions. Each takes the node's context
 * (and what just happened) and returns the next context plus the effects to emit; the machine
 * (machine.ts) only decides which rule applies in which state.
 *
 * Timings, all derived from the settings:
 * - answer timeout = 2 × the worst cross-region latency: a round trip on the slowest link the
 *   defaults allow, so a live higher peer's Answer arrives in time.
 * - listen window after boot = one heartbeat interval + the answer timeout: long enough to hear a
 *   running coordinator's heartbeat, so a restarted node learns the current epoch before it
 *   announces one (otherwise a returning node would reuse the epoch of the node that replaced it).
 * - coordinator timeout (an Answer came, no Coordinator yet) and the follower's election timeout
 *   are both drawn from settings.electionTimeoutMs.
 *
 * Where this departs from the textbook, and why:
 * - A booted node listens before its election (see above). While listening it follows a
 *   higher-ranked coordinator it hears (that node would win anyway) and only learns the epoch of
 *   a lower one (it is about to bully it).
 * - A coordinator that receives an Election answers and repeats its Coordinator announcement with
 *   its current epoch: the election it would start ends with itself at once, and a fresh epoch
 *   for every nervous follower would only add noise to the trace.
 * - A heartbeat from a node ranked above the one we follow counts as its announcement.
 * - Every message carries the sender's newest epoch (types.ts).
 */
import type { NodeId } from '../protocol';
import type { ProgramInput } from '../program';
import type { Settings } from '../../scenario/types';
import { NO_STEP, run, type Change, type Step as MachineStep } from '../step';
import {
  TIMER,
  type BullyContext,
  type BullyDisk,
  type BullyEvent,
  type BullyMessage,
  type BullyMessageEvent,
  type BullyRole,
} from './types';

export type Step = MachineStep<BullyContext, BullyMessage>;
type BullyChange = Change<BullyContext, BullyMessage>;

// ---- ranks and timings ----------------------------------------------------------------------

/** The numeric suffix of `orch-N`; -1 for an id without one, which therefore outranks nobody. */
export function rankOf(id: NodeId): number {
  const match = /-(\d+)$/.exec(id);
  return match ? Number(match[1]) : -1;
}

export function outranks(a: NodeId, b: NodeId): boolean {
  return rankOf(a) > rankOf(b);
}

export function higherPeers(context: BullyContext): NodeId[] {
  return context.peers.filter((peer) => outranks(peer, context.id));
}

export function answerTimeoutMs(settings: Settings): number {
  return Math.max(1, 2 * settings.latencyMs.crossRegion[1]);
}

export function listenWindowMs(settings: Settings): number {
  return Math.max(1, settings.heartbeatMs + answerTimeoutMs(settings));
}

export function initialContext(input: ProgramInput<BullyDisk>): BullyContext {
  return {
    id: input.id,
    peers: [...input.peers],
    settings: input.settings,
    disk: { epoch: input.disk?.epoch ?? 0 },
    coordinator: null,
    role: null,
  };
}

// ---- reading events -------------------------------------------------------------------------

function messageOf(event: BullyEvent): BullyMessageEvent | null {
  return event.type === 'message' ? event : null;
}

export function isTimer(event: BullyEvent, name: string): boolean {
  return event.type === 'timer' && event.name === name;
}

export function isMessage(event: BullyEvent, type: BullyMessage['type']): boolean {
  return messageOf(event)?.msg.type === type;
}

/** A Coordinator announcement or a Heartbeat: both say "the sender coordinates". */
function isClaim(event: BullyEvent): event is BullyMessageEvent {
  return isMessage(event, 'Coordinator') || isMessage(event, 'Heartbeat');
}

export function isClaimFromHigher(context: BullyContext, event: BullyEvent): boolean {
  return isClaim(event) && outranks(event.from, context.id);
}

export function isClaimFromLower(context: BullyContext, event: BullyEvent): boolean {
  return isClaim(event) && !outranks(event.from, context.id);
}

/**
 * A heartbeat worth following: from the coordinator we follow, or from a node that outranks it
 * (or outranks us, when we follow nobody), since Bully would end with that node winning anyway.
 */
export function isHeartbeatWorthFollowing(context: BullyContext, event: BullyEvent): boolean {
  const message = messageOf(event);
  if (message?.msg.type !== 'Heartbeat') return false;
  return message.from === context.coordinator || outranks(message.from, context.coordinator ?? context.id);
}

// ---- reasons for the trace ------------------------------------------------------------------

export function candidacyReason(event: BullyEvent): string {
  if (isTimer(event, TIMER.election)) return 'coordinator silent';
  if (isTimer(event, TIMER.coordinator)) return 'no coordinator announced';
  const message = messageOf(event);
  if (message?.msg.type === 'Election') return `${message.from} called an election`;
  if (message) return `${message.from} claimed to coordinate; re-electing`;
  return 'booted; listening for the current epoch';
}

export function victoryReason(event: BullyEvent): string {
  if (isTimer(event, TIMER.answer)) return 'no answer from higher nodes';
  const message = messageOf(event);
  if (message && message.msg.type !== 'Election') return `outranks ${message.from}, which claimed to coordinate`;
  return 'no higher-ranked nodes';
}

export function followReason(event: BullyEvent): string {
  const message = messageOf(event);
  if (message?.msg.type === 'Heartbeat') return `heard coordinator ${message.from}'s heartbeat`;
  return `${message?.from ?? 'a peer'} announced itself coordinator`;
}

// ---- steps ----------------------------------------------------------------------------------

/** Remembers the newest epoch seen; it goes to disk at once so it survives a crash. */
export function adoptEpoch(context: BullyContext, event: BullyEvent): Step {
  const message = messageOf(event);
  if (!message || message.msg.epoch <= context.disk.epoch) return NO_STEP;
  return { patch: { disk: { epoch: message.msg.epoch } }, effects: [] };
}

/** Switches role, tracing it only when it really changes. */
function enterRole(c: BullyChange, role: BullyRole, reason: string): void {
  if (c.ctx.role === role) return;
  c.set({ role });
  c.trace({ type: 'role', role, term: c.ctx.disk.epoch, reason });
}

function sendToEach(c: BullyChange, targets: readonly NodeId[], msg: BullyMessage): void {
  for (const to of targets) c.send(to, msg);
}

export function enterCandidacy(context: BullyContext, event: BullyEvent): Step {
  return run(context, (c) => {
    c.set({ coordinator: null });
    enterRole(c, 'candidate', candidacyReason(event));
  });
}

export function listen(context: BullyContext): Step {
  return { patch: {}, effects: [{ type: 'set-timer', name: TIMER.listen, afterMs: listenWindowMs(context.settings) }] };
}

/** Challenges every higher-ranked peer and waits for one of them to answer. */
export function callElection(context: BullyContext): Step {
  return run(context, (c) => {
    sendToEach(c, higherPeers(context), { type: 'Election', epoch: context.disk.epoch });
    c.emit({ type: 'set-timer', name: TIMER.answer, afterMs: answerTimeoutMs(context.settings) });
  });
}

export function awaitCoordinator(context: BullyContext): Step {
  const [minMs, maxMs] = context.settings.electionTimeoutMs;
  return { patch: {}, effects: [{ type: 'set-random-timer', name: TIMER.coordinator, minMs, maxMs }] };
}

/** Takes over with an epoch above every one seen, tells everyone, and starts heartbeating. */
export function declareVictory(context: BullyContext, event: BullyEvent): Step {
  const epoch = context.disk.epoch + 1;
  return run(context, (c) => {
    c.set({ disk: { epoch }, coordinator: context.id });
    enterRole(c, 'leader', victoryReason(event));
    c.trace({ type: 'leader', term: epoch });
    sendToEach(c, context.peers, { type: 'Coordinator', epoch });
    c.emit({ type: 'set-timer', name: TIMER.heartbeat, afterMs: context.settings.heartbeatMs });
  });
}

/** A coordinator asked to hold an election would win it at once: it repeats its announcement. */
export function reassert(context: BullyContext): Step {
  return run(context, (c) => sendToEach(c, context.peers, { type: 'Coordinator', epoch: context.disk.epoch }));
}

export function sendHeartbeats(context: BullyContext): Step {
  return run(context, (c) => {
    sendToEach(c, context.peers, { type: 'Heartbeat', epoch: context.disk.epoch });
    c.emit({ type: 'set-timer', name: TIMER.heartbeat, afterMs: context.settings.heartbeatMs });
  });
}

/** Follows the sender of the event and (re)starts the wait for its next heartbeat. */
export function followSender(context: BullyContext, event: BullyEvent): Step {
  const message = messageOf(event);
  if (!message) return NO_STEP;
  return run(context, (c) => {
    c.set({ ...adoptEpoch(context, event).patch, coordinator: message.from });
    enterRole(c, 'follower', followReason(event));
    const [minMs, maxMs] = context.settings.electionTimeoutMs;
    c.emit({ type: 'set-random-timer', name: TIMER.election, minMs, maxMs });
  });
}

export function answerSender(context: BullyContext, event: BullyEvent): Step {
  const message = messageOf(event);
  if (!message) return NO_STEP;
  return { patch: {}, effects: [{ type: 'send', to: message.from, msg: { type: 'Answer', epoch: context.disk.epoch } }] };
}

export function cancelTimer(name: string): Step {
  return { patch: {}, effects: [{ type: 'cancel-timer', name }] };
}

/** Bully keeps no log: the coordinator simply takes the command; anyone else points to it. */
export function replyToProposal(context: BullyContext, event: BullyEvent): Step {
  if (event.type !== 'propose') return NO_STEP;
  const accepted = context.role === 'leader';
  const leaderHint = accepted ? context.id : context.coordinator;
  return { patch: {}, effects: [{ type: 'client-reply', cmd: event.cmd, accepted, leaderHint }] };
}
