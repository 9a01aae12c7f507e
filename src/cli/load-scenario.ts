/**
 * Where the CLI finds a scenario: a file path, a playground link (`…#s=…` or `…#preset=id`), or
 * an http(s) address of a JSON file. Every failure becomes a `ScenarioError` list, never a throw.
 *
 * Files and downloads are read only up to a bound (a little more than the longest scenario
 * text can take), never whole: `/dev/zero` or a gigabyte file is refused after a few megabytes.
 */
import { open } from 'node:fs/promises';
import {
  decodeScenarioParam,
  MAX_SCENARIO_TEXT_CHARS,
  parseLocationHash,
  parseScenarioText,
  scenarioTooLong,
  type ParseResult,
} from '../sim';
import { echoed } from './terminal-text';

/** A UTF-8 character takes at most 4 bytes: more than this is surely too long. */
const MAX_SCENARIO_BYTES = 4 * MAX_SCENARIO_TEXT_CHARS;

const presetDir = new URL('../../public/scenarios/', import.meta.url);

function failure(path: string, message: string): ParseResult {
  return { ok: false, errors: [{ path, message }] };
}

export async function loadScenario(source: string): Promise<ParseResult> {
  const hashAt = source.indexOf('#');
  if (hashAt >= 0) {
    const hash = parseLocationHash(source.slice(hashAt));
    if (hash.scenarioParam !== undefined) return decodeScenarioParam(hash.scenarioParam);
    if (hash.preset !== undefined) return loadPreset(hash.preset);
  }
  if (/^https?:\/\//i.test(source)) return fetchScenario(source);
  try {
    return textOf(await readBounded(source), 'file');
  } catch (error) {
    return failure('(file)', `cannot read ${echoed(source)}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

interface Bounded {
  readonly bytes: Buffer;
  /** There was more than `MAX_SCENARIO_BYTES`; `bytes` holds only the start. */
  readonly cutShort: boolean;
}

/** The file's first `MAX_SCENARIO_BYTES` and one more, read in chunks; a device or a pipe works too. */
async function readBounded(path: string): Promise<Bounded> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(MAX_SCENARIO_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return { bytes: buffer.subarray(0, Math.min(length, MAX_SCENARIO_BYTES)), cutShort: length > MAX_SCENARIO_BYTES };
  } finally {
    await handle.close();
  }
}

/** The scenario in what was read; a text cut short is refused, naming the field that fills it. */
function textOf({ bytes, cutShort }: Bounded, what: string): ParseResult {
  const text = bytes.toString('utf8');
  if (cutShort) return scenarioTooLong(text, `a ${what} of more than ${MAX_SCENARIO_BYTES} bytes`, true);
  return parseScenarioText(text);
}

async function loadPreset(id: string): Promise<ParseResult> {
  if (!/^[a-z0-9-]+$/.test(id)) return failure('(link)', `"${echoed(id)}" is not a preset id (lower-case letters, digits and dashes)`);
  try {
    return textOf(await readBounded(new URL(`${id}.json`, presetDir).pathname), 'file');
  } catch {
    return failure('(link)', `there is no preset "${id}" in public/scenarios/`);
  }
}

async function fetchScenario(address: string): Promise<ParseResult> {
  try {
    const response = await fetch(address);
    if (!response.ok) return failure('(url)', `${echoed(address)} answered ${response.status} ${echoed(response.statusText)}`);
    return textOf(await downloadBounded(response), 'download');
  } catch (error) {
    return failure('(url)', `cannot fetch ${echoed(address)}: ${echoed(error instanceof Error ? error.message : String(error))}`);
  }
}

/** The body's first `MAX_SCENARIO_BYTES` and one more; the rest is never downloaded. */
async function downloadBounded(response: Response): Promise<Bounded> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = response.body?.getReader();
  while (reader && length <= MAX_SCENARIO_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.length;
  }
  await reader?.cancel().catch(() => undefined);
  const bytes = Buffer.concat(chunks);
  return { bytes: bytes.subarray(0, Math.min(length, MAX_SCENARIO_BYTES)), cutShort: length > MAX_SCENARIO_BYTES };
}
