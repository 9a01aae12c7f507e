/**
 * The JSON Schema of a scenario file, written from the zod schema the playground validates with
 * and the words of schema-docs.ts. Editors read it (public/scenario.schema.json, `npm run schema`),
 * and so does the page's scenario editor for its hints.
 */
import { z } from 'zod/mini';
import { DESCRIBED, ScenarioSchema } from './schema';
import { SCHEMA_DOCS } from './schema-docs';

export const SCENARIO_SCHEMA_ID = 'urn:ha-playground:scenario:1';

/** The JSON Schema (draft 2020-12) of a scenario file, for editors and other tools. */
export function scenarioJsonSchema(): Record<string, unknown> {
  const docs = z.registry<{ description: string }>();
  for (const [schema, doc] of DESCRIBED) docs.add(schema, { description: SCHEMA_DOCS[doc] });
  const generated = z.toJSONSchema(ScenarioSchema, { io: 'input', target: 'draft-2020-12', metadata: docs });
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: SCENARIO_SCHEMA_ID,
    title: 'HA Playground scenario, version 1',
    description:
      'A scenario for the HA Playground simulator. Checks beyond this schema — node ids against the topology, event times against durationMs, time order — are made by the playground itself.',
    ...rest,
  };
}
