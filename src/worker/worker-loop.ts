/** What the page's workers (sim.worker.ts, ab.worker.ts) share of running: their tick loop and their errors in words. */

/** An error as the page shows it: its name and message. */
export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Wraps work so that an exception it throws is handed to `crashed` in words (the worker drops its run and tells the page) instead of ending the worker. */
export function guardWith(crashed: (message: string) => void): (work: () => void) => void {
  return (work) => {
    try {
      work();
    } catch (error) {
      crashed(errorText(error));
    }
  };
}

/** Calls `tick` with the wall time since the previous call, at the display's rate where workers have requestAnimationFrame, else at about 60 Hz. */
export function everyFrame(tick: (elapsedWallMs: number) => void): void {
  let lastWallMs = performance.now();
  const loop = () => {
    const nowWallMs = performance.now();
    tick(nowWallMs - lastWallMs);
    lastWallMs = nowWallMs;
    next();
  };
  const next = () => {
    if (typeof self.requestAnimationFrame === 'function') self.requestAnimationFrame(loop);
    else setTimeout(loop, 16);
  };
  next();
}
