/**
 * The two sessions of an A/B comparison and the one clock that drives both: each tick both runs
 * are moved to the same simulated time, at the pace the playground's clock keeps (the set speed
 * while a message that is not routine traffic is on its way in either run, else hurrying through
 * quiet time), so side by side they always show the same moment. Touches no worker globals.
 */
import type { Scenario } from '../sim';
import type { Frame } from './protocol';
import { QUIET_SPEED, Session } from './session';

/** A tick stops simulating after this much wall time, so the worker keeps answering (as a Session's does). */
const TICK_BUDGET_WALL_MS = 40;

export class AbPair {
  readonly sessions: readonly [Session, Session];
  playing = false;
  private speedValue: number;
  /** The clock stops by itself here (the scenario's duration). */
  readonly endMs: number;

  constructor(a: Scenario, b: Scenario, speed: number) {
    this.speedValue = speed;
    this.sessions = [new Session(a, speed), new Session(b, speed)];
    this.endMs = Math.max(a.durationMs, b.durationMs);
  }

  get nowMs(): number {
    return this.sessions[0].nowMs;
  }

  get speed(): number {
    return this.speedValue;
  }

  set speed(speed: number) {
    this.speedValue = speed;
    for (const session of this.sessions) session.speed = speed;
  }

  /** Advances both runs by `wallMs` of real time, to the same simulated moment. */
  advance(wallMs: number, wallClock: () => number): void {
    if (!this.playing || wallMs <= 0) return;
    const startedWallMs = wallClock();
    let budgetWallMs = Math.min(wallMs, 250); // a tab that slept does not leap ahead
    while (budgetWallMs > 1e-9 && wallClock() - startedWallMs < TICK_BUDGET_WALL_MS) {
      const paces = this.sessions.map((s) => s.pace());
      const rate = paces.some((p) => p.busy) ? this.speedValue : Math.max(this.speedValue, QUIET_SPEED);
      const fromMs = this.nowMs;
      const target = Math.min(fromMs + budgetWallMs * rate, ...paces.map((p) => p.nextMs), this.endMs);
      budgetWallMs -= (target - fromMs) / rate;
      this.seek(target);
      if (target >= this.endMs) {
        this.playing = false;
        break;
      }
    }
  }

  /** Both runs to `atMs` (forward by running on, back by replaying from the start). */
  seek(atMs: number): void {
    for (const session of this.sessions) session.seek(atMs);
  }

  frames(): readonly [Frame, Frame] {
    return [this.sessions[0].frame(), this.sessions[1].frame()];
  }
}
