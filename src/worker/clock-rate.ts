/**
 * How fast the simulated clock really runs: simulated ms per wall ms over the last second of
 * play, and how much of that was hurried through quiet time. The Speed label shows this, not the
 * speed asked for, because "hurry through quiet time" (and a machine that cannot keep up) make
 * the two differ.
 */

/** The window the rate is measured over, in wall ms. */
export const RATE_WINDOW_WALL_MS = 1000;

export interface RateReading {
  /** Simulated ms per wall ms, measured. */
  readonly simPerWall: number;
  /** Of those simulated ms, the share run faster than asked because nothing but routine traffic was on the wire (0 to 1). */
  readonly hurriedShare: number;
}

interface Slice {
  readonly wallMs: number;
  readonly simMs: number;
  readonly hurriedMs: number;
}

export class ClockRate {
  private slices: Slice[] = [];

  /** One tick of play: `wallMs` of real time moved the clock `simMs`, `hurriedMs` of them hurried. */
  add(wallMs: number, simMs: number, hurriedMs: number): void {
    if (wallMs <= 0) return;
    this.slices.push({ wallMs, simMs, hurriedMs });
    let total = this.slices.reduce((sum, s) => sum + s.wallMs, 0);
    while (this.slices.length > 1 && total - this.slices[0]!.wallMs >= RATE_WINDOW_WALL_MS) total -= this.slices.shift()!.wallMs;
  }

  reset(): void {
    this.slices = [];
  }

  /** The rate over the window, or null before any play was measured. */
  reading(): RateReading | null {
    const wall = this.slices.reduce((sum, s) => sum + s.wallMs, 0);
    if (wall <= 0) return null;
    const sim = this.slices.reduce((sum, s) => sum + s.simMs, 0);
    const hurried = this.slices.reduce((sum, s) => sum + s.hurriedMs, 0);
    return { simPerWall: sim / wall, hurriedShare: sim > 0 ? hurried / sim : 0 };
  }
}
