/**
 * Turns what the page hands over (a link's `s=` payload or a JSON value) into a Scenario, or
 * into one readable message that names what is wrong. Nothing here throws on any input.
 */
import {
  formatErrors,
  loadLinkDecoding,
  loadLinkEncoding,
  parseScenario,
  reportText,
  runScenario,
  type ChallengeResult,
  type ParseResult,
  type Scenario,
} from '../sim';
import type { ScenarioSource } from './protocol';

export type Opened = { readonly ok: true; readonly scenario: Scenario } | { readonly ok: false; readonly message: string };

/** The first errors are enough to fix a file; a wall of them helps nobody. */
const ERRORS_SHOWN = 5;

function opened(result: ParseResult, where: string): Opened {
  if (result.ok) return result;
  // A whole-input error ("(link)", "(json)") reads better without its technical path.
  const shown = result.errors
    .slice(0, ERRORS_SHOWN)
    .map((e) => (e.path.startsWith('(') ? e.message : formatErrors([e])))
    .join('\n');
  const more = result.errors.length > ERRORS_SHOWN ? `\n… and ${result.errors.length - ERRORS_SHOWN} more` : '';
  return { ok: false, message: `${where}:\n${shown}${more}` };
}

export function openScenario(source: Extract<ScenarioSource, { kind: 'json' }>): Opened {
  return opened(parseScenario(source.value), `The scenario from ${source.origin} is not valid`);
}

/** The scenario in a link's `s=` payload. Its decoder is downloaded with the first link opened. */
export async function openLink(encoded: string): Promise<Opened> {
  const { decodeScenarioParam } = await loadLinkDecoding();
  return opened(decodeScenarioParam(encoded), 'The scenario in this link (after #s=) cannot be used');
}

/**
 * The report of the recorded scenario run from start to end, exactly as `npm run sim --json`
 * prints it for this run's link: the scenario goes through the same link encoding and parsing
 * the CLI would apply, so the two are byte-identical.
 */
export async function reportOf(scenario: Scenario): Promise<{ text: string; fileName: string }> {
  const { report } = runScenario(await reopen(scenario), { keepTrace: false });
  return { text: reportText(report), fileName: `ha-playground-report-seed-${scenario.seed}.json` };
}

/** The recorded run's challenge judged on its report (the run played to its end), as `npm run sim --grade` judges it; null without a challenge. */
export async function judgementOf(scenario: Scenario): Promise<ChallengeResult | null> {
  const { report } = runScenario(await reopen(scenario), { keepTrace: false });
  return report.challenge ?? null;
}

/** The trace of the same run, one JSON object per line, as `npm run sim --trace` writes it. */
export async function traceOf(scenario: Scenario): Promise<{ text: string; fileName: string }> {
  const lines: string[] = [];
  runScenario(await reopen(scenario), { keepTrace: false, onTrace: (event) => lines.push(`${JSON.stringify(event)}\n`) });
  return { text: lines.join(''), fileName: `ha-playground-trace-seed-${scenario.seed}.ndjson` };
}

/** The scenario exactly as the CLI would read it from this run's link. */
async function reopen(scenario: Scenario): Promise<Scenario> {
  const { decodeScenarioParam } = await loadLinkDecoding();
  const reopened = decodeScenarioParam((await linkHash(scenario)).slice('#s='.length));
  if (!reopened.ok) throw new Error(`the recorded scenario does not reopen: ${formatErrors(reopened.errors)}`);
  return reopened.scenario;
}

/**
 * The `#s=` hash that reopens this scenario. The encoder loads with the first link, report or
 * trace asked for: an embed that is only watched never downloads it.
 */
export async function linkHash(scenario: Scenario): Promise<string> {
  const { encodeScenarioHash } = await loadLinkEncoding();
  return `#${encodeScenarioHash(scenario)}`;
}
