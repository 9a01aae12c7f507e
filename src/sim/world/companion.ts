/**
 * A node that runs a companion program beside its main one: an orchestrator's failover agent
 * beside its Raft member, as a Patroni agent runs beside its etcd member. This runner (see
 * machines/runner.ts) hosts both as XState actors. The companion lives and dies with the node, has
 * timers of its own (named `agent:…` on the kernel's clock), takes the message types its program
 * `handles`, and talks to the main actor only through this runner: its `local-propose` becomes a
 * `propose` for the main actor, whose answer comes back as `member-reply`, and the main actor's
 * `role`, `leader`, `commit` and `apply` traces reach it as `member` events.
 */
import { ActorRunner } from '../machines/actor-runner';
import type { NodeFacts, NodeProgram, ProgramInput } from '../machines/program';
import type { Effect, Message, MessageLook, NodeEvent, NodeId, NodeView } from '../machines/protocol';
import type { Runner, SavedActors, Stopped } from '../machines/runner';
import type { LiveStatechart } from '../machines/statechart';
import { SimulationError } from '../kernel/node-host';

/** Timers of the companion carry this prefix on the kernel's clock, so both actors may use any name. */
const COMPANION_TIMER = 'agent:';
/** Main-actor traces the companion hears of. */
const FORWARDED_TRACES = new Set(['role', 'leader', 'commit', 'apply']);
/** Local events that only the companion takes. */
const COMPANION_EVENTS = new Set(['member', 'member-reply', 'fence-result', 'cloud-status']);
/** A bound on effects one event may cause between the two actors, so a loop between them fails loudly. */
const MAX_LOCAL_EFFECTS = 100_000;

/** How node `id` runs `program`: alone (null: the kernel's own runner), or with `companion` beside it. */
export function runnerFor(id: NodeId, program: NodeProgram, companion: NodeProgram | null): Runner | null {
  return companion ? new CompanionRunner(id, program, companion) : null;
}

export class CompanionRunner implements Runner {
  private readonly main: ActorRunner;
  private readonly companion: ActorRunner;
  /** The main actor's answers to the companion's own proposals: they go back to it, not to clients. */
  private readonly localReplies = new Set<Effect>();
  private merged: [NodeFacts | null, NodeFacts | null, NodeFacts] = [null, null, {}];

  constructor(
    readonly node: NodeId,
    program: NodeProgram,
    private readonly companionProgram: NodeProgram,
  ) {
    this.main = new ActorRunner(node, program);
    this.companion = new ActorRunner(node, companionProgram);
  }

  get running(): boolean {
    return this.main.running;
  }

  start(input: ProgramInput<unknown>, atMs: number): Effect[] {
    this.main.create(input);
    this.companion.create({ ...input, disk: null });
    this.companion.begin();
    this.main.begin();
    this.checkHealthy(atMs);
    const effects = this.routeLocally(atMs);
    this.main.watchStarted(atMs);
    this.companion.watchStarted(atMs);
    return effects;
  }

  deliver(event: NodeEvent, atMs: number): Effect[] {
    const companionEvent = this.forCompanion(event);
    if (companionEvent === null) this.main.send(event);
    else this.companion.send(companionEvent);
    this.checkHealthy(atMs);
    const effects = this.routeLocally(atMs);
    this.main.watchAfter(event, atMs);
    this.companion.watchAfter(event, atMs);
    return effects;
  }

  /** What the node leaves: the main program's view and disk, and both programs' facts. */
  stop(): Stopped {
    const facts = this.facts();
    const left = this.main.stop();
    this.companion.stop();
    this.companion.effects = [];
    this.localReplies.clear();
    return { ...left, facts };
  }

  disk(): unknown {
    return this.main.disk();
  }

  /** The main program's view, with the companion's detail added to its own. */
  view(): NodeView {
    const main = this.main.view();
    if (!this.companion.running) return main;
    const extra = this.companion.view().detail;
    return Object.keys(extra).length === 0 ? main : { ...main, detail: { ...main.detail, ...extra } };
  }

  facts(): NodeFacts {
    const main = this.main.facts();
    if (!this.companion.running) return main;
    const beside = this.companion.facts();
    // Both runners read theirs once per snapshot; the two are put together once per pair.
    if (main !== this.merged[0] || beside !== this.merged[1]) this.merged = [main, beside, { ...main, ...beside }];
    return this.merged[2];
  }

  /** As its main program draws it, or its companion's (an agent's health check). */
  look(msg: Message): MessageLook {
    const look = this.main.look(msg);
    return look.family === 'other' ? this.companion.look(msg) : look;
  }

  statecharts(): LiveStatechart[] | null {
    const main = this.main.statecharts();
    const beside = this.companion.statecharts();
    return main && beside ? [...main, ...beside] : main;
  }

  save(): SavedActors {
    return [...this.main.save(), ...this.companion.save()];
  }

  resume(saved: SavedActors): void {
    this.main.resume(saved.slice(0, 1));
    this.companion.resume(saved.slice(1));
  }

  /** The event as the companion should get it, or null when it is the main actor's. */
  private forCompanion(event: NodeEvent): NodeEvent | null {
    if (COMPANION_EVENTS.has(event.type)) return event;
    if (event.type === 'timer' && event.name.startsWith(COMPANION_TIMER)) return { type: 'timer', name: event.name.slice(COMPANION_TIMER.length) };
    if (event.type === 'message' && (this.companionProgram.handles ?? []).includes(event.msg.type)) return event;
    return null;
  }

  /**
   * Passes effects between the two actors until both are quiet, and returns, in order, those
   * the kernel must perform. The main actor's effects go first, as they were emitted.
   */
  private routeLocally(atMs: number): Effect[] {
    const out: Effect[] = [];
    for (let n = 0; this.main.effects.length > 0 || this.companion.effects.length > 0; n++) {
      if (n > MAX_LOCAL_EFFECTS) throw new SimulationError(`${this.node}: its agent and its member keep answering each other`, atMs, this.node);
      if (this.main.effects.length > 0) this.fromMain(this.main.effects.shift()!, out);
      else this.fromCompanion(this.companion.effects.shift()!, out);
      this.checkHealthy(atMs);
    }
    return out;
  }

  private fromMain(effect: Effect, out: Effect[]): void {
    if (this.localReplies.delete(effect) && effect.type === 'client-reply') {
      this.companion.send({ type: 'member-reply', cmd: effect.cmd, accepted: effect.accepted });
      return;
    }
    out.push(effect);
    if (effect.type === 'trace' && FORWARDED_TRACES.has(effect.event.type)) this.companion.send({ type: 'member', event: effect.event });
  }

  private fromCompanion(effect: Effect, out: Effect[]): void {
    switch (effect.type) {
      case 'local-propose': {
        const mark = this.main.effects.length;
        this.main.send({ type: 'propose', cmd: effect.cmd });
        for (const e of this.main.effects.slice(mark)) if (e.type === 'client-reply') this.localReplies.add(e);
        return;
      }
      case 'set-timer':
      case 'set-random-timer':
      case 'cancel-timer':
        out.push({ ...effect, name: COMPANION_TIMER + effect.name });
        return;
      default:
        out.push(effect);
    }
  }

  private checkHealthy(atMs: number): void {
    this.main.checkHealthy(atMs);
    this.companion.checkHealthy(atMs);
  }
}
