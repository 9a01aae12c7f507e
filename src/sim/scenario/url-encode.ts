/**
 * Writing a scenario into a link: `compressToEncodedURIComponent(JSON.stringify(scenario))`, exactly
 * lz-string's, so a link made today opens the same run next year (url.ts reads it back). A module
 * of its own because the compressor is only needed when a link, report or trace is asked for: the
 * worker loads it then (`loadLinkEncoding`), and an embed that is only watched never downloads it.
 */
// lz-string is CommonJS: a default import works under Vite and under Node's ESM loader alike.
import LZString from 'lz-string';

/** `s=…`, to put after `#`. */
export function encodeScenarioHash(scenarioJson: object): string {
  return `s=${LZString.compressToEncodedURIComponent(JSON.stringify(scenarioJson))}`;
}
