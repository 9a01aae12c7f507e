// Proves public/scenario.schema.json is what `npm run schema` generates now, so the published schema is never stale.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILE, scenarioSchemaFileText } from '../../../src/cli/write-schema';

describe('public/scenario.schema.json', () => {
  it('equals the generated schema (run `npm run schema` after changing the zod schema)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(scenarioSchemaFileText());
  });

  it('carries its id and title, requires only version, and publishes the defaults', () => {
    const schema = JSON.parse(scenarioSchemaFileText()) as unknown;
    expect(schema).toMatchObject({
      $id: 'urn:ha-playground:scenario:1',
      title: expect.stringMatching(/scenario/),
      required: ['version'],
      additionalProperties: false,
      properties: {
        settings: { properties: { heartbeatMs: { default: 100 }, preVote: { default: false } } },
        events: { items: { oneOf: expect.arrayContaining([expect.objectContaining({ required: ['atMs', 'do', 'node'] })]) } },
      },
    });
  });
});
