/**
 * The embed's `Open in playground` link: the full page at the same address without `?embed=1`,
 * opening the same run at the same moment (the link format in the README). A bundled scenario nobody has
 * touched keeps its readable `#preset=` link; a run with recorded clicks, or a scenario the
 * embedding page sent, travels whole in `#s=`.
 */
// The encoding is the contract's (`compressToEncodedURIComponent(JSON.stringify(scenario))`, as
// `encodeScenarioHash` writes it); that module is not imported because it brings the scenario
// parser, and with it the validation library, into the embed's download. lz-string itself is
// loaded only once a run needs `#s=` (the reader acted, or the scenario came by message).
let encode: ((text: string) => string) | null = null;

/** Loads the `#s=` encoder; `playgroundHash` falls back to the preset link until it is here. */
export function loadLinkEncoder(): Promise<void> {
  if (encode) return Promise.resolve();
  return import('lz-string').then((module) => {
    encode = (text) => module.default.compressToEncodedURIComponent(text);
  });
}

export interface RunShown {
  /** The bundled scenario this run was opened from, or null (a `#s=` link, a scenario sent by message). */
  readonly preset: string | null;
  /** The recorded scenario: the file's events plus the reader's clicks. */
  readonly recorded: object | null;
  readonly actionCount: number;
  /** The simulated time on screen. */
  readonly atMs: number;
}

/** The hash that reopens the run; `&t=` only once time has moved, so that a run not yet started plays from its start. */
export function playgroundHash(run: RunShown): string {
  const atMs = Math.max(0, Math.floor(run.atMs));
  const at = atMs > 0 ? `&t=${atMs}` : '';
  if (run.preset !== null && run.actionCount === 0) return `#preset=${run.preset}${at}`;
  if (run.recorded === null || encode === null) return run.preset !== null ? `#preset=${run.preset}${at}` : '';
  return `#s=${encode(JSON.stringify(run.recorded))}${at}`;
}

/** The full page's address for `hash`: this address without the `embed` parameter. */
export function playgroundUrl(embedHref: string, hash: string): string {
  const url = new URL(embedHref);
  url.searchParams.delete('embed');
  url.hash = hash;
  return url.href;
}
