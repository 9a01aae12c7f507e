// Proves "Run many seeds" as a person uses it: a seed range typed in, progress while a pool of
// workers runs, a histogram per figure whose bars count every run, the seeds that broke a safety
// check listed with why, one of them opened in the playground at that seed, Cancel, and bad input.
import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import LZString from 'lz-string';
import { openTools } from './helpers';

const DIR = process.env.SHOTS_DIR ?? '/tmp/shots';
mkdirSync(DIR, { recursive: true });

async function openSweep(page: Page) {
  await page.goto('./#preset=failover-split-brain');
  await expect(page.locator('[data-node-id="db-1"]')).toBeVisible();
  await openTools(page);
  await page.getByRole('button', { name: 'Run many seeds' }).click();
  const dialog = page.getByRole('dialog', { name: 'Run many seeds' });
  await expect(dialog).toBeVisible();
  return dialog;
}

/** The seed of the scenario a `#s=` link in the address bar holds. */
function seedInUrl(page: Page): number {
  const hash = new URL(page.url()).hash;
  const param = /[#&]s=([^&]+)/.exec(hash)?.[1] ?? '';
  return (JSON.parse(LZString.decompressFromEncodedURIComponent(param) ?? 'null') as { seed: number }).seed;
}

test('runs the scenario over a range of seeds, draws each figure and opens a broken seed', async ({ page }) => {
  test.slow();
  const dialog = await openSweep(page);
  await dialog.getByLabel('First seed').fill('11');
  await dialog.getByLabel('Runs').fill('6');
  await dialog.getByRole('button', { name: 'Run 6 seeds' }).click();
  await expect(dialog.getByRole('status')).toHaveText('Done: 6 runs, seeds 11 to 16.', { timeout: 60_000 });

  // One histogram per figure, and each one's bars count all six runs.
  const groups = dialog.getByRole('group', { name: /^Histogram: / });
  await expect(groups).toHaveCount(7);
  for (const group of await groups.all()) {
    const labels = await group.getByRole('button').evaluateAll((bars) => bars.map((b) => b.getAttribute('aria-label') ?? ''));
    const counted = labels.reduce((sum, label) => sum + Number(/: (\d+) runs?/.exec(label)?.[1] ?? 0), 0);
    expect(counted, (await group.getAttribute('aria-label')) ?? '').toBe(6);
  }
  // Split brain turns fencing and quorum off: the broken check is the lesson, said as such.
  const broken = dialog.getByRole('region', { name: 'Seeds that broke a safety invariant' });
  await expect(broken).toContainText('as these settings allow (fencing off, quorum off, no synchronous standby)');
  await expect(broken).toContainText('single-writer broke in 6 of 6 runs');
  for (const [width, height] of [[1366, 768], [390, 844]] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: `${DIR}/sweep-${width}.png` });
  }

  await dialog.getByRole('button', { name: 'Open seed 13, which broke single-writer' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Split brain');
  await expect.poll(() => seedInUrl(page)).toBe(13);
});

test('a bar opens the first run it counts', async ({ page }) => {
  const dialog = await openSweep(page);
  await dialog.getByLabel('First seed').fill('40');
  await dialog.getByLabel('Runs').fill('3');
  await dialog.getByRole('button', { name: 'Run 3 seeds' }).click();
  await expect(dialog.getByRole('status')).toHaveText(/^Done: 3 runs/, { timeout: 60_000 });
  const bar = dialog.getByRole('group', { name: 'Histogram: time to the first leader' }).getByRole('button', { name: /open seed \d+$/ }).first();
  const seed = Number(/open seed (\d+)$/.exec((await bar.getAttribute('aria-label')) ?? '')?.[1]);
  expect([40, 41, 42]).toContain(seed);
  await bar.click();
  await expect(dialog).toBeHidden();
  await expect.poll(() => seedInUrl(page)).toBe(seed);
});

test('cancels a long sweep and refuses a bad range in words', async ({ page }) => {
  const dialog = await openSweep(page);
  await dialog.getByLabel('Runs').fill('0');
  await expect(dialog.getByText(/The number of runs is a whole number from 1 to 2000/)).toBeVisible();
  await expect(dialog.getByRole('button', { name: /^Run .*seeds$/ })).toBeDisabled();
  await dialog.getByLabel('Runs').fill('2000');
  await dialog.getByRole('button', { name: 'Run 2000 seeds' }).click();
  await expect(dialog.getByRole('status')).toHaveText(/^Running: \d+ of 2000 runs done, on \d workers?…$/);
  await expect(dialog.getByRole('progressbar', { name: 'Runs done' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog.getByRole('status')).toHaveText(/^Cancelled after \d+ of 2000 runs\.$/);
  await expect(dialog.getByRole('button', { name: 'Run 2000 seeds' })).toBeEnabled();
});
