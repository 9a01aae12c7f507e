/**
 * A histogram's bins for one figure of a sweep: one bin per whole value where the values span few
 * (failovers, lost writes), else equal widths between the smallest and the largest. Each bin keeps
 * its seeds, so a click on a bar can open one of its runs.
 */
export interface Bin {
  /** Inclusive lower bound; the upper bound is exclusive except for the last bin. */
  readonly lo: number;
  readonly hi: number;
  readonly seeds: readonly number[];
}

export function bins(values: readonly { readonly seed: number; readonly value: number }[], maxBins = 12): Bin[] {
  if (values.length === 0) return [];
  const min = Math.min(...values.map((v) => v.value));
  const max = Math.max(...values.map((v) => v.value));
  const whole = values.every((v) => Number.isInteger(v.value));
  let width: number;
  let count: number;
  if (whole && max - min + 1 <= maxBins) {
    width = 1;
    count = max - min + 1;
  } else if (max === min) {
    width = 1;
    count = 1;
  } else {
    count = maxBins;
    width = (max - min) / count;
    if (whole) width = Math.ceil(width);
  }
  const seeds: number[][] = Array.from({ length: count }, () => []);
  for (const { seed, value } of [...values].sort((a, b) => a.seed - b.seed)) {
    seeds[Math.min(count - 1, Math.floor((value - min) / width))]!.push(seed);
  }
  return seeds.map((s, i) => ({ lo: min + i * width, hi: i === count - 1 && width !== 1 ? max : min + (i + 1) * width, seeds: s }));
}
