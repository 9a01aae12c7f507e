/**
 * One program running as an XState actor: the runner of most nodes (runner.ts). The effects of the
 * actor's steps are queued (taken straight from its steps while it runs, see `collectingEffects`;
 * anything it emits besides), and the kernel performs the queue after each event, so a machine
 * never re-enters the kernel while it is deciding. An actor that fails stops the run loudly. The runner also keeps
 * the actor's live state for the page's statechart, and saves and resumes the actor for a
 * checkpoint as XState persists it.
 */
import { createActor, type AnyActorRef } from 'xstate';
import { SimulationError } from '../kernel/node-host';
import type { NodeFacts, NodeProgram, ProgramInput } from './program';
import type { Effect, EffectBatch, Message, MessageLook, NodeEvent, NodeId, NodeView } from './protocol';
import type { Runner, SavedActors, Stopped } from './runner';
import { StatechartWatch, type LiveStatechart } from './statechart';
import { collectingEffects } from './step';

const NO_FACTS: NodeFacts = {};

export class ActorRunner implements Runner {
  /** What the actor emitted that nobody took yet, in order (a step's batch unpacked). */
  effects: Effect[] = [];
  private actor: AnyActorRef | null = null;
  private readonly watch: StatechartWatch;
  private factsOf: unknown = null;
  private factsRead: NodeFacts = NO_FACTS;

  constructor(
    /** The node it runs on, for errors. */
    readonly node: NodeId,
    readonly program: NodeProgram,
  ) {
    this.watch = new StatechartWatch(program.machine.id);
  }

  get running(): boolean {
    return this.actor !== null;
  }

  start(input: ProgramInput<unknown>, atMs: number): Effect[] {
    this.create(input);
    this.begin();
    this.checkHealthy(atMs);
    const effects = this.take();
    this.watchStarted(atMs);
    return effects;
  }

  /** Makes the actor from `input`, emitting into this runner; `begin` starts it. */
  create(input: ProgramInput<unknown>): void {
    // XState works out the first state's entry actions here, so their effects are taken here.
    collectingEffects(this.effects, () => {
      this.actor = this.wired(createActor(this.program.machine, { input }));
    });
  }

  begin(): void {
    collectingEffects(this.effects, () => this.actor?.start());
  }

  deliver(event: NodeEvent, atMs: number): Effect[] {
    this.send(event);
    this.checkHealthy(atMs);
    const effects = this.take();
    this.watchAfter(event, atMs);
    return effects;
  }

  send(event: NodeEvent): void {
    collectingEffects(this.effects, () => this.actor?.send(event));
  }

  /** Takes every effect queued so far. */
  take(): Effect[] {
    const effects = this.effects;
    this.effects = [];
    return effects;
  }

  stop(): Stopped {
    const snapshot = this.snapshot();
    const left = { view: this.program.view(snapshot), facts: this.facts(), disk: this.program.diskOf(snapshot) };
    this.actor?.stop();
    this.actor = null;
    return left;
  }

  disk(): unknown {
    return this.program.diskOf(this.snapshot());
  }

  view(): NodeView {
    return this.program.view(this.snapshot());
  }

  /** Read off the snapshot once per snapshot: the world asks for them on every write (`service.ts`). */
  facts(): NodeFacts {
    const snapshot = this.snapshot();
    if (snapshot !== this.factsOf) {
      this.factsOf = snapshot;
      this.factsRead = this.program.facts?.(snapshot) ?? NO_FACTS;
    }
    return this.factsRead;
  }

  look(msg: Message): MessageLook {
    return this.program.look(msg);
  }

  /** The actor (re)started: its state is where the page's statechart begins. */
  watchStarted(atMs: number): void {
    if (this.actor) this.watch.started(this.actor.getSnapshot().value, atMs);
  }

  /** Notes a change of the actor's state, and the delivered event that caused it. */
  watchAfter(event: NodeEvent, atMs: number): void {
    if (this.actor) this.watch.after(this.actor.getSnapshot().value, event, atMs);
  }

  statecharts(): LiveStatechart[] | null {
    return this.actor ? [this.watch.live()] : null;
  }

  save(): SavedActors {
    return [this.actor?.getPersistedSnapshot() ?? null];
  }

  resume(saved: SavedActors): void {
    this.actor?.stop();
    const snapshot = saved[0] ?? null;
    collectingEffects(this.effects, () => {
      this.actor = snapshot ? this.wired(createActor(this.program.machine, { snapshot })) : null;
      this.actor?.start();
    });
  }

  /** Throws if the actor failed (an exception in one of its actions). */
  checkHealthy(atMs: number): void {
    const snapshot = this.actor?.getSnapshot() as { status?: string; error?: unknown } | undefined;
    if (snapshot?.status === 'error') {
      const cause = snapshot.error instanceof Error ? snapshot.error.message : String(snapshot.error);
      throw new SimulationError(`the machine of ${this.node} failed: ${cause}`, atMs, this.node);
    }
  }

  /** The running actor's snapshot (only asked for while it runs), as its program's readers take it. */
  private snapshot(): ReturnType<AnyActorRef['getSnapshot']> {
    return this.actor!.getSnapshot();
  }

  /** Queues what the actor emits: one effect, or a step's batch of them in order. */
  private wired(actor: AnyActorRef): AnyActorRef {
    actor.on('*', (emitted: Effect | EffectBatch) => {
      if (emitted.type !== 'effects') this.effects.push(emitted);
      else for (const effect of emitted.effects) this.effects.push(effect);
    });
    return actor;
  }
}
