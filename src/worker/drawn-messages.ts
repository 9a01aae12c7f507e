/**
 * How long the page draws a message on its link. A message on a 1–5 ms local link would only blip
 * at any speed worth watching, so the drawing stretches its trip: it takes at least
 * `MIN_DRAWN_WALL_MS` of wall time at the current speed (never more than `MAX_STRETCH_MS` of
 * simulated time, so that one heartbeat is not yet on its way when the next leaves). The drawing
 * is only a picture: the simulation delivers the message at its own time, which the card it
 * reaches shows at once. The stretch is simulated time, so a paused, stepped or seeked moment
 * draws every message at the same place each time.
 */
import type { InFlightMessage } from '../sim';

/** A message is drawn travelling for at least this long in wall time at the current speed. */
export const MIN_DRAWN_WALL_MS = 400;
/** …but never stretched beyond this much simulated time. */
export const MAX_STRETCH_MS = 40;

/** A message as the page draws it: `drawnEndAtMs` is when its glyph reaches the far end (or dies). */
export interface DrawnMessage extends InFlightMessage {
  readonly drawnEndAtMs: number;
}

/** When the glyph of a message sent at `sentAtMs` and ending at `endAtMs` reaches its end, at `speed` (sim ms per wall ms). */
export function drawnEndAtMs(sentAtMs: number, endAtMs: number, speed: number): number {
  const stretch = Math.min(MAX_STRETCH_MS, MIN_DRAWN_WALL_MS * speed);
  return sentAtMs + Math.max(endAtMs - sentAtMs, stretch);
}

/** Keeps every message sent lately, delivered or not, for as long as it is drawn. */
export class DrawnMessages {
  private sent: InFlightMessage[] = [];
  /** Past this many kept messages, the ones no longer drawn are forgotten (amortized). */
  private limit = 256;

  add(message: InFlightMessage): void {
    this.sent.push(message);
    if (this.sent.length > this.limit) {
      this.forgetBefore(message.sentAtMs);
      this.limit = Math.max(256, 2 * this.sent.length);
    }
  }

  clear(): void {
    this.sent = [];
    this.limit = 256;
  }

  /** The messages kept now (what a checkpoint of the session keeps of them). */
  save(): readonly InFlightMessage[] {
    return [...this.sent];
  }

  /** Keeps `messages` (saved by `save`) instead of what it kept. */
  resume(messages: readonly InFlightMessage[]): void {
    this.clear();
    for (const m of messages) this.add(m);
  }

  /** The messages drawn at `nowMs`: sent by then, their glyph not yet at its end. */
  at(nowMs: number, speed: number): DrawnMessage[] {
    this.forgetBefore(nowMs);
    const drawn: DrawnMessage[] = [];
    for (const m of this.sent) {
      if (m.sentAtMs > nowMs) continue;
      const end = drawnEndAtMs(m.sentAtMs, m.endAtMs, speed);
      if (end > nowMs) drawn.push({ ...m, drawnEndAtMs: end });
    }
    return drawn;
  }

  /** Forgets the messages that are drawn no more at `nowMs` at any speed (the stretch is at most MAX_STRETCH_MS). */
  private forgetBefore(nowMs: number): void {
    if (this.sent.every((m) => Math.max(m.endAtMs, m.sentAtMs + MAX_STRETCH_MS) >= nowMs)) return;
    this.sent = this.sent.filter((m) => Math.max(m.endAtMs, m.sentAtMs + MAX_STRETCH_MS) >= nowMs);
  }
}
