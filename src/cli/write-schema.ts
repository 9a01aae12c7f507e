/**
 * Writes public/scenario.schema.json, the JSON Schema of a scenario file, from the zod schema
 * that the playground itself validates with. Run it with `npm run schema` after changing
 * src/sim/scenario/schema.ts; a unit test fails while the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { scenarioJsonSchema } from '../sim';

export const SCHEMA_FILE = fileURLToPath(new URL('../../public/scenario.schema.json', import.meta.url));

/** The exact text of the file: two-space JSON and a final newline. */
export function scenarioSchemaFileText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}

function main(): void {
  writeFileSync(SCHEMA_FILE, scenarioSchemaFileText());
  console.log(`wrote ${SCHEMA_FILE}`);
}

// Only when run as a program: tests import this file for `scenarioSchemaFileText`.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
