/**
 * A lesson followed as written (`npm run sim -- FILE --lesson`): the scenario's events play, and
 * a scripted learner does what each step asks when the step becomes current, waits as long as
 * the step's claims take (`after`), answers no question, presses Next when nothing else moves the
 * lesson on. Each step's claims are judged throughout the time the step is current, sampled every
 * 100 ms of simulated time, on the same moment the page judges them on; each question's choices
 * at its reveal. A bundled lesson must hold every claim when followed (a test runs them all).
 *
 * When a step becomes current: step 0 at 0 ms; after a step that asks for an action, when the
 * learner performs it; otherwise at the next step's `atMs` if the clock has yet to reach it
 * (the page moves on when the clock crosses it), or else when the learner presses Next.
 */
import type { NodeId } from '../machines/protocol';
import type { LessonStep, Scenario, UserAction } from '../scenario/types';
import { Simulation } from '../world/simulation';
import { judgeClaims, resolveRef, type ClaimResult } from './claims';
import { fillLive } from './live';
import { leaderOf, lessonMoment, writersOf, type LessonMoment } from './moment';

/** How often (simulated ms) a step's claims are judged while it is current. */
export const SAMPLE_MS = 100;
/** The last step is watched this long after its claims are all due (or to the end of the run). */
export const LAST_STEP_WATCH_MS = 30_000;
/** A step asking to act on a node that does not exist yet (`@leader` during an election) waits at most this long for it. */
export const WAIT_FOR_NODE_MS = 30_000;

export interface ClaimVerdict {
  /** The claim's words and status at the first moment it failed, or at the last moment it was judged. */
  readonly result: ClaimResult;
  /** When it first failed, or null when it held at every moment it was judged. */
  readonly failedAtMs: number | null;
  /** Never judged: the step was over before the claim was due. */
  readonly neverDue: boolean;
}

export interface ChoiceVerdict {
  readonly label: string;
  readonly held: boolean;
  readonly results: readonly ClaimResult[];
}

export interface StepVerdict {
  readonly index: number;
  readonly currentAtMs: number;
  readonly endsAtMs: number;
  /**
   * The step's text with its live values (`{leader}`, …) filled in as the page shows them at the
   * moment its claims are all due (when it became current, for a step without `after`), before
   * the learner acts.
   */
  readonly text: string;
  /** The ids of the nodes the run had when that text was worded: a text must name no node the run has yet to create. */
  readonly nodes: readonly NodeId[];
  /** What the scripted learner did, in words ("crash orch-3"), or why it could not. */
  readonly did: string | null;
  readonly claims: readonly ClaimVerdict[];
  /** The question's choices judged at the reveal, when the step asks one. */
  readonly choices?: readonly ChoiceVerdict[];
  readonly revealAtMs?: number;
  readonly ok: boolean;
}

export interface LessonVerdict {
  readonly steps: readonly StepVerdict[];
  readonly ok: boolean;
}

/** The latest `after` of a list of claims (0 without any). */
export function claimsDueMs(step: LessonStep): number {
  return Math.max(0, ...(step.claims ?? []).map((c) => c.after ?? 0));
}

/**
 * What a learner does for a step that asks for an action, on this moment: the step's node
 * resolved (`@leader` the leader now, …); a step that names no node gets the obvious one (a crash
 * the leader or else the primary, a restart the node last crashed, a promotion a standby).
 */
export function actionFor(step: LessonStep, moment: LessonMoment): UserAction | string {
  const action = step.action;
  if (action === undefined) return 'the step asks for no action';
  const named = step.node === undefined ? null : resolveRef(step.node, moment);
  if (step.node !== undefined && named === null) return `${step.node} names no node at ${moment.nowMs} ms`;
  const up = (id: NodeId) => moment.nodes.some((n) => n.id === id && n.up);
  const standby = moment.nodes.find((n) => n.kind === 'database' && n.up && n.role === 'standby')?.id ?? null;
  const fallback: Record<string, NodeId | null> = {
    crash: leaderOf(moment)?.id ?? writersOf(moment)[0]?.id ?? null,
    'wipe-disk': writersOf(moment)[0]?.id ?? null,
    restart: moment.lastCrashed,
    promote: standby,
    switchover: standby,
    'restore-backup': moment.lastCrashed,
  };
  const node = named ?? fallback[action] ?? null;
  switch (action) {
    case 'crash':
    case 'restart':
    case 'wipe-disk':
    case 'promote':
    case 'switchover':
      return node === null ? `no node to ${action} at ${moment.nowMs} ms` : { do: action, node };
    case 'restore-backup': {
      const from = moment.nodes.find((n) => n.kind === 'backup' && up(n.id))?.id;
      return node === null || from === undefined ? `no node or backup store to restore at ${moment.nowMs} ms` : { do: action, node, from };
    }
    case 'region-down':
    case 'region-up':
      return { do: action, region: 'primary' };
    case 'heal':
      return { do: 'heal' };
    case 'propose':
      return { do: 'propose', cmd: 'set lesson=1' };
    default:
      return `the command line cannot choose the nodes of a ${action} the step does not spell out`;
  }
}

function words(action: UserAction): string {
  if ('node' in action) return `${action.do} ${action.node}${'from' in action ? ` from ${action.from}` : ''}`;
  if ('region' in action) return `${action.do} ${action.region}`;
  return action.do;
}

/** When the step after `index` becomes current, given when `index` did (see the file's comment). */
function nextStart(steps: readonly LessonStep[], index: number, currentAtMs: number): number {
  const step = steps[index]!;
  const due = currentAtMs + claimsDueMs(step);
  if (step.action !== undefined) return due;
  const next = steps[index + 1];
  if (next?.atMs !== undefined && next.atMs > currentAtMs) return next.atMs;
  return due;
}

/** Follows the lesson of `scenario` as written; the verdict of every step. */
export function playLesson(scenario: Scenario): LessonVerdict {
  const steps = scenario.steps ?? [];
  const sim = new Simulation(scenario, { keepTrace: false });
  const verdicts: StepVerdict[] = [];
  let currentAtMs = 0;
  for (let index = 0; index < steps.length; index++) {
    const step = steps[index]!;
    const last = index === steps.length - 1;
    let endsAtMs = Math.min(
      scenario.durationMs,
      last ? currentAtMs + claimsDueMs(step) + LAST_STEP_WATCH_MS : nextStart(steps, index, currentAtMs),
    );
    const acts = step.action !== undefined && !last;
    const giveUpAtMs = Math.min(scenario.durationMs, endsAtMs + WAIT_FOR_NODE_MS);
    let action: UserAction | string | null = null;
    const claims = step.claims ?? [];
    const failed: (ClaimVerdict | null)[] = claims.map(() => null);
    const lastSeen: (ClaimResult | null)[] = claims.map(() => null);
    const revealAtMs = step.question ? Math.min(endsAtMs, currentAtMs + (step.question.revealAfterMs ?? Number.POSITIVE_INFINITY)) : null;
    let choices: ChoiceVerdict[] | undefined;
    // The page makes the next step current as soon as the clock reaches its atMs (events of that
    // millisecond included): a step the clock ends is last current the millisecond before.
    const next = steps[index + 1];
    const endsByClock = !last && step.action === undefined && next?.atMs !== undefined && next.atMs > currentAtMs && endsAtMs === next.atMs;
    const reveal = (upTo: number) => {
      if (revealAtMs === null || choices !== undefined || revealAtMs > upTo) return;
      sim.runUntil(revealAtMs);
      const moment = lessonMoment(sim);
      choices = step.question!.choices.map((choice) => {
        const results = judgeClaims(choice.claims ?? [], moment, Number.POSITIVE_INFINITY);
        return { label: choice.label, held: results.every((r) => r.status === 'holds'), results };
      });
    };
    const dueMs = claimsDueMs(step);
    let text: string | null = null;
    let nodes: readonly NodeId[] = [];
    for (let t = currentAtMs; ; t = Math.min(t + SAMPLE_MS, endsAtMs)) {
      const judgeAt = endsByClock && t === endsAtMs ? t - 1 : t;
      reveal(judgeAt);
      sim.runUntil(judgeAt);
      const moment = lessonMoment(sim);
      if (text === null && judgeAt - currentAtMs >= dueMs) {
        text = fillLive(step.text, moment);
        nodes = moment.nodes.map((n) => n.id);
      }
      judgeClaims(claims, moment, judgeAt - currentAtMs).forEach((result, i) => {
        if (result.status === 'waiting') return;
        lastSeen[i] = result;
        if (result.status === 'fails' && failed[i] === null) failed[i] = { result, failedAtMs: judgeAt, neverDue: false };
      });
      // A question due when the next step becomes current is revealed on that moment.
      reveal(t);
      if (t >= endsAtMs) {
        // The learner acts once the step's node exists (a new leader elected), as a person waits for its ring.
        if (!acts) break;
        action = actionFor(step, moment);
        if (typeof action !== 'string' || t >= giveUpAtMs) break;
        endsAtMs = Math.min(t + SAMPLE_MS, giveUpAtMs);
      }
    }
    // Claims never due are worded on the moment the step ends, before the learner acts (and so is a text whose claims never came due).
    const endMoment = lessonMoment(sim);
    const atEnd = judgeClaims(claims, endMoment, Number.POSITIVE_INFINITY);
    if (text === null) {
      text = fillLive(step.text, endMoment);
      nodes = endMoment.nodes.map((n) => n.id);
    }
    let did: string | null = null;
    if (action !== null) {
      if (typeof action === 'string') did = `could not act: ${action}`;
      else {
        sim.act(action);
        did = words(action);
      }
    }
    const claimVerdicts = claims.map((_, i): ClaimVerdict => {
      const fail = failed[i];
      if (fail) return fail;
      const seen = lastSeen[i];
      if (seen) return { result: seen, failedAtMs: null, neverDue: false };
      return { result: { ...atEnd[i]!, status: 'waiting' }, failedAtMs: null, neverDue: true };
    });
    const questionOk = choices === undefined || choices.filter((c) => c.held).length === 1;
    const ok = questionOk && claimVerdicts.every((v) => v.failedAtMs === null && !v.neverDue) && (did === null || !did.startsWith('could not'));
    verdicts.push({
      index,
      currentAtMs,
      endsAtMs,
      text,
      nodes,
      did,
      claims: claimVerdicts,
      ...(choices ? { choices, revealAtMs: revealAtMs! } : {}),
      ok,
    });
    currentAtMs = endsAtMs;
  }
  return { steps: verdicts, ok: verdicts.every((v) => v.ok) };
}
