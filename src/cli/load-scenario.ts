/**
 * Where the CLI finds a scenario: a file path, a playground link (`…#s=…` or `…#preset=id`), or
 * an http(s) address of a JSON file. Every failure becomes a `ScenarioError` list, never a throw.
 */
import { readFile } from 'node:fs/promises';
import { parseScenario, parseScenarioText, type ParseResult } from '../sim/scenario/parse';
import { decodeScenarioParam, parseLocationHash } from '../sim/scenario/url';

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
    return parseScenarioText(await readFile(source, 'utf8'));
  } catch (error) {
    return failure('(file)', `cannot read ${source}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

async function loadPreset(id: string): Promise<ParseResult> {
  if (!/^[a-z0-9-]+$/.test(id)) return failure('(link)', `"${id}" is not a preset id (lower-case letters, digits and dashes)`);
  try {
    return parseScenarioText(await readFile(new URL(`${id}.json`, presetDir), 'utf8'));
  } catch {
    return failure('(link)', `there is no preset "${id}" in public/scenarios/`);
  }
}

async function fetchScenario(address: string): Promise<ParseResult> {
  try {
    const response = await fetch(address);
    if (!response.ok) return failure('(url)', `${address} answered ${response.status} ${response.statusText}`);
    return parseScenario(await response.json());
  } catch (error) {
    return failure('(url)', `cannot fetch ${address}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
