/**
 * A lesson step's claims judged on a moment (moment.ts): which hold, and for each that does not,
 * words a learner can follow: what the lesson expected, what the run shows instead, and why when
 * the moment tells (a leader needs a majority; without CheckQuorum a lone leader stays leader).
 *
 * A claim with `after` is judged only once its step has been current that long: before, it is
 * `waiting`, neither held nor failed (an election takes a moment).
 */
import { ANY_NODE, type ClaimMeter, type LessonClaim, type NodeCondition } from '../scenario/types';
import { leaderOf, writersOf, type LessonMoment, type MomentNode } from './moment';

export type ClaimStatus = 'holds' | 'fails' | 'waiting';

export interface ClaimResult {
  readonly claim: LessonClaim;
  readonly status: ClaimStatus;
  /** What the lesson says, in words ("orch-3 leads"). */
  readonly expected: string;
  /** What the moment shows ("orch-1 leads, term 2"). */
  readonly actual: string;
  /** Why the run went this way, when the moment tells. */
  readonly why?: string;
}

/** The meters' names on the page, for the words. */
const METER_WORDS: Readonly<Record<ClaimMeter, string>> = {
  attemptedWrites: 'Writes attempted',
  acknowledgedWrites: 'Writes acknowledged',
  rejectedWrites: 'Writes rejected',
  lostWrites: 'Lost writes',
  rpoWrites: 'RPO (writes)',
  rpoMs: 'RPO (ms)',
  unavailableMs: 'RTO (ms without writes)',
  noPrimaryMs: 'Time without a primary (ms)',
  requestsAttempted: 'Requests attempted',
  requestsServed: 'Requests served',
  requestsFailed: 'Requests failed',
  requestsRetried: 'Requests retried',
  term: 'The highest term',
};

/** A node selector resolved on the moment: `@leader`, `@primary`, `@last-crashed`, or an id. */
export function resolveRef(ref: string, moment: LessonMoment): string | null {
  if (ref === '@leader') return leaderOf(moment)?.id ?? null;
  if (ref === '@primary') return writersOf(moment)[0]?.id ?? null;
  if (ref === '@last-crashed') return moment.lastCrashed;
  if (ref === '@last-restarted') return moment.lastRestarted;
  return ref;
}

function describeNode(node: MomentNode | undefined, id: string): string {
  if (!node) return `${id} is not in this run`;
  if (node.replacedBy !== undefined) return `${id} was replaced by ${node.replacedBy}`;
  if (!node.up) return `${id} is down`;
  if (node.kind === 'database') return node.writable ? `${id} takes writes` : `${id} is ${node.role === 'primary' ? 'a primary that takes no writes' : `a ${node.role}`}`;
  const term = node.term === null ? '' : `, term ${node.term}`;
  return `${id} is ${node.role === 'leader' ? 'the leader' : `a ${node.role}`}${term}`;
}

function leaderWords(moment: LessonMoment): string {
  const leader = leaderOf(moment);
  return leader ? `${leader.id} leads term ${leader.term ?? 0}` : 'no orchestrator leads';
}

function writersWords(moment: LessonMoment): string {
  const writers = writersOf(moment).map((n) => n.id);
  if (writers.length === 0) return 'no database node takes writes';
  return writers.length === 1 ? `${writers[0]} takes writes` : `${writers.join(' and ')} all take writes`;
}

/** Why no node leads, or why one still does: the majority rule in numbers. */
function leadershipWhy(moment: LessonMoment): string | undefined {
  const running = moment.nodes.filter((n) => n.kind === 'orchestrator' && n.up && n.role !== 'provisioning').length;
  const majority = Math.floor(moment.orchestrators / 2) + 1;
  const leader = leaderOf(moment);
  if (leader && running < majority) {
    return moment.checkQuorum
      ? `only ${running} of ${moment.orchestrators} orchestrators run; with CheckQuorum ${leader.id} steps down once it has not heard from a majority for an election timeout`
      : `only ${running} of ${moment.orchestrators} orchestrators run, but CheckQuorum is off: a leader never checks that a majority still hears it, so ${leader.id} stays leader, though it can commit nothing`;
  }
  if (!leader && running < majority) return `only ${running} of ${moment.orchestrators} orchestrators run, and a leader needs the votes of a majority (${majority})`;
  if (!leader) return 'an election is under way: a follower campaigns once its election timeout runs out without a heartbeat';
  return undefined;
}

function nodeIs(node: MomentNode | undefined, is: NodeCondition): boolean {
  if (!node) return false;
  switch (is) {
    case 'down':
      return !node.up;
    case 'up':
      return node.up;
    case 'replaced':
      return node.replacedBy !== undefined;
    case 'primary':
      return node.writable;
    case 'leader':
    case 'follower':
    case 'candidate':
    case 'standby':
      return node.up && node.role === is;
  }
}

function meterHolds(value: number, claim: { above?: number; below?: number; equals?: number }): boolean {
  return (claim.above === undefined || value > claim.above) && (claim.below === undefined || value < claim.below) && (claim.equals === undefined || value === claim.equals);
}

function boundWords(claim: { above?: number; below?: number; equals?: number }): string {
  const parts: string[] = [];
  if (claim.equals !== undefined) parts.push(`${claim.equals}`);
  if (claim.above !== undefined) parts.push(`above ${claim.above}`);
  if (claim.below !== undefined) parts.push(`below ${claim.below}`);
  return parts.join(' and ');
}

type Judged = Omit<ClaimResult, 'claim' | 'status'> & { readonly holds: boolean };

function judgeOne(claim: LessonClaim, moment: LessonMoment): Judged {
  if ('leader' in claim) {
    const leader = leaderOf(moment);
    const why = leadershipWhy(moment);
    if (claim.leader === ANY_NODE) {
      return { holds: leader !== null, expected: 'an orchestrator leads', actual: leaderWords(moment), ...(why ? { why } : {}) };
    }
    const id = resolveRef(claim.leader, moment) ?? claim.leader;
    const holds = leader?.id === id;
    const node = moment.nodes.find((n) => n.id === id);
    const otherWhy = leader && node?.up ? `${leader.id}'s election timeout ran out first, so it asked for votes first and won` : why;
    return { holds, expected: `${id} leads`, actual: holds ? leaderWords(moment) : `${leaderWords(moment)}; ${describeNode(node, id)}`, ...(!holds && otherWhy ? { why: otherWhy } : {}) };
  }
  if ('noLeader' in claim) {
    const why = leadershipWhy(moment);
    return { holds: leaderOf(moment) === null, expected: 'no orchestrator leads', actual: leaderWords(moment), ...(why ? { why } : {}) };
  }
  if ('primary' in claim) {
    const writers = writersOf(moment);
    if (claim.primary === ANY_NODE) return { holds: writers.length > 0, expected: 'a database node takes writes', actual: writersWords(moment) };
    const id = resolveRef(claim.primary, moment) ?? claim.primary;
    const holds = writers.some((n) => n.id === id);
    const node = moment.nodes.find((n) => n.id === id);
    return { holds, expected: `${id} is the primary, taking writes`, actual: holds ? writersWords(moment) : `${writersWords(moment)}; ${describeNode(node, id)}` };
  }
  if ('primaries' in claim) {
    const count = writersOf(moment).length;
    const why = count > 1 ? 'two primaries take writes at once: a split brain, each side acknowledging writes the other never sees' : undefined;
    return { holds: count === claim.primaries, expected: `${claim.primaries} database node${claim.primaries === 1 ? '' : 's'} take${claim.primaries === 1 ? 's' : ''} writes`, actual: writersWords(moment), ...(why ? { why } : {}) };
  }
  if ('writesRejected' in claim) {
    const failing = moment.writesFailingSinceMs !== null;
    const actual = failing ? `writes have been failing since ${(moment.writesFailingSinceMs! / 1000).toFixed(1)} s; ${writersWords(moment)}` : `writes are acknowledged; ${writersWords(moment)}`;
    return { holds: failing === claim.writesRejected, expected: claim.writesRejected ? 'writes are being rejected' : 'writes are being acknowledged', actual };
  }
  if ('meter' in claim) {
    const value = moment.meters[claim.meter];
    const words = METER_WORDS[claim.meter];
    if (value === undefined) return { holds: false, expected: `${words} is ${boundWords(claim)}`, actual: `this run has no ${words} meter` };
    const holds = meterHolds(value, claim);
    const leader = leaderOf(moment);
    const why = !holds && claim.meter === 'term' && leader ? `${leader.id} still leads: followers campaign, in a new term, only when the leader's heartbeats stop` : undefined;
    return { holds, expected: `${words} is ${boundWords(claim)}`, actual: `${words} is ${value}${leader && claim.meter === 'term' ? ` (${leader.id} leads)` : ''}`, ...(why ? { why } : {}) };
  }
  if ('invariant' in claim) {
    const check = moment.invariants.find((i) => i.name === claim.invariant);
    const state = (ok: boolean) => `${claim.invariant} ${ok ? 'holds' : 'is broken'}`;
    if (!check) return { holds: false, expected: state(claim.holds), actual: `this run has no check named ${claim.invariant}` };
    return { holds: check.ok === claim.holds, expected: state(claim.holds), actual: state(check.ok) };
  }
  const id = resolveRef(claim.node, moment) ?? claim.node;
  const node = moment.nodes.find((n) => n.id === id);
  const expected = `${id} is ${claim.is === 'primary' ? 'the primary, taking writes' : ['down', 'up', 'replaced'].includes(claim.is) ? claim.is : `a ${claim.is}`}`;
  const holds = nodeIs(node, claim.is);
  const why = !holds && (claim.is === 'leader' || claim.is === 'follower' || claim.is === 'candidate') ? leadershipWhy(moment) : undefined;
  return { holds, expected, actual: describeNode(node, id), ...(why ? { why } : {}) };
}

/**
 * Judges `claims` on `moment`; `currentForMs` is how long their step has been current
 * (simulated ms), which decides whether a claim with `after` is judged yet.
 */
export function judgeClaims(claims: readonly LessonClaim[], moment: LessonMoment, currentForMs: number): ClaimResult[] {
  return claims.map((claim) => {
    const { holds, ...words } = judgeOne(claim, moment);
    const status: ClaimStatus = claim.after !== undefined && currentForMs < claim.after ? 'waiting' : holds ? 'holds' : 'fails';
    return { claim, status, ...words };
  });
}

/** The first claim that fails, or null when none does. */
export function firstFailure(results: readonly ClaimResult[]): ClaimResult | null {
  return results.find((r) => r.status === 'fails') ?? null;
}
