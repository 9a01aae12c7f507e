/**
 * The words beside the Speed slider: the rate the clock really runs at, measured by the worker,
 * and why it differs from the speed asked for (hurrying through quiet time, or a machine that
 * cannot keep up). While paused there is no rate to measure, so it names the speed asked for.
 * The speed asked for is the slider's own value (its `aria-valuetext`) and the label's title.
 */
import type { RateReading } from '../../../worker/protocol';

export function formatSpeed(speed: number): string {
  const digits = speed < 0.1 ? 2 : speed < 10 ? 1 : 0;
  return `${speed.toFixed(digits)}×`;
}

/** Two significant figures: ×10, ×2.5, ×150. */
function factor(x: number): string {
  return `×${Number(x.toPrecision(2))}`;
}

/** Differences smaller than this share of the asked speed are measuring noise, not news. */
const TOLERANCE = 0.2;
/** Hurrying is named once at least this share of the simulated time was hurried. */
const HURRIED_SHARE_SHOWN = 0.05;

export function speedLabel(asked: number, reading: RateReading | null): string {
  if (!reading) return formatSpeed(asked);
  const real = reading.simPerWall;
  if (real > asked * (1 + TOLERANCE) && reading.hurriedShare >= HURRIED_SHARE_SHOWN) {
    return `${formatSpeed(real)} · hurrying ${factor(real / asked)} through quiet time`;
  }
  if (real < asked * (1 - TOLERANCE)) return `${formatSpeed(real)} · the machine cannot keep up`;
  return formatSpeed(asked);
}
