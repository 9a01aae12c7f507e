/**
 * Scenario files: what "Save scenario file" writes and what "Open scenario file…" reads. The
 * saved file is the recorded scenario (the user's clicks included) with a `$schema` that editors
 * follow to the published schema; parsing it gives back the same scenario, so it reopens the
 * same run. Reading only turns the file into a JSON value: the worker validates it exactly as it
 * validates a link.
 */
import { MAX_SCENARIO_TEXT_CHARS, type Scenario } from '../../sim';
import { toText } from './form';

/** Where the site publishes the schema, relative to the page (`npm run schema` writes it). */
export const SCHEMA_FILE = 'scenario.schema.json';

export function schemaUrl(baseUri: string): string {
  return new URL(SCHEMA_FILE, baseUri).href;
}

/** The file's text: `$schema` first, then the scenario as the page runs it. */
export function scenarioFileText(scenario: Scenario, schema: string): string {
  return toText({ $schema: schema, ...scenario });
}

/** A file name from a title: "Primary disk fails!" → "primary-disk-fails.json". */
export function scenarioFileName(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return `${slug || 'scenario'}.json`;
}

export type FileRead = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

/** What the error says the file is: its name, kept short. */
export function fileOrigin(name: string): string {
  const shown = name.length > 80 ? `${name.slice(0, 79)}…` : name;
  return `the file “${shown}”`;
}

/** The file's text as a JSON value, or a message in the words the worker uses for other bad input. */
export function readScenarioFile(text: string, name: string): FileRead {
  const where = `The scenario from ${fileOrigin(name)} is not valid:\n`;
  if (text.length > MAX_SCENARIO_TEXT_CHARS) return { ok: false, message: `${where}it is ${text.length} characters long; at most ${MAX_SCENARIO_TEXT_CHARS} are accepted` };
  try {
    return { ok: true, value: JSON.parse(text.replace(/^\uFEFF/, '')) as unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `${where}not valid JSON: ${reason.slice(0, 200)}` };
  }
}

/** A file far bigger than any scenario is refused before it is read (a UTF-8 character takes at most 4 bytes). */
export function fileTooBig(bytes: number): boolean {
  return bytes > MAX_SCENARIO_TEXT_CHARS * 4;
}
