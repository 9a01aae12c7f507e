// Proves the strategy comparison works like a person uses it: the button (by keyboard too) runs five scenarios in a worker while the page stays responsive, then a table of five measured rows, a chart with a text alternative, and a run that opens in the playground.
import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { openQuietCluster, openTools } from './helpers';

const DIR = process.env.SHOTS_DIR ?? '/tmp/shots';
mkdirSync(DIR, { recursive: true });

/** Collects every text the comparison's status line shows, so a progress message is seen however briefly it stays. */
async function recordStatusTexts(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { compareStatus: string[] }).compareStatus = seen;
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('.cmp-progress [role="status"]')) if (el.textContent) seen.push(el.textContent);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

/**
 * Starts counting the animation frames the page draws; `framesCounted` reads the count. A page
 * whose main thread ran the comparison would draw none while it ran; counted over the whole run
 * (not a fixed half second of wall time), a loaded machine that draws few frames a second still
 * draws many before a comparison of five full runs is done.
 */
async function countFrames(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { framesCounted: number };
    w.framesCounted = 0;
    const tick = () => {
      w.framesCounted++;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

function framesCounted(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { framesCounted: number }).framesCounted);
}

async function runComparisonByKeyboard(page: Page) {
  await openTools(page);
  const button = page.getByRole('button', { name: 'Compare strategies' });
  await button.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Compare protection strategies' });
  await expect(dialog).toBeVisible();
  return dialog;
}

test('compares five strategies against a failed disk and shows measured figures', async ({ page }) => {
  await openQuietCluster(page);
  await recordStatusTexts(page);
  const dialog = await runComparisonByKeyboard(page);
  await countFrames(page);

  const table = dialog.getByRole('table', { name: /The primary's disk fails: data lost and downtime/ });
  await expect(table).toBeVisible({ timeout: 30_000 });
  // The page kept drawing while the worker compared (the comparison never runs on the page's thread).
  expect(await framesCounted(page)).toBeGreaterThan(10);
  const rows = table.locator('tbody tr');
  await expect(rows).toHaveCount(5);
  for (let i = 0; i < 5; i++) {
    const cells = await rows.nth(i).locator('td').allTextContents();
    expect(cells).toHaveLength(4);
    expect(cells[0]).toMatch(/^\d+$/);
    for (const cell of cells.slice(1)) expect(cell).toMatch(/^(\d+\.\d\d\+?|never)$/);
  }
  await expect(table.getByRole('rowheader')).toHaveText(['Daily backups', 'Hourly backups', 'Local sync standby', 'Local async standby', 'Cross-region replica']);
  await expect(rows.filter({ hasText: 'Local sync standby' }).locator('td').first()).toHaveText('0');

  const seen = await page.evaluate(() => (window as unknown as { compareStatus: string[] }).compareStatus);
  expect(seen.some((text) => /^Running [1-5] of 5: /.test(text))).toBe(true);

  await expect(dialog.getByTestId('comparison-reading')).toHaveText(/^Only the local sync standby lost nothing;/);
  await expect(dialog.getByRole('img', { name: /acknowledged writes lost per strategy/ })).toBeVisible();
  await expect(dialog.getByRole('img', { name: /seconds of failing writes/ })).toHaveAccessibleDescription(/Daily backups: \d+\.\d+ s of failing writes/);

  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: `${DIR}/compare-1280.png` });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${DIR}/compare-390.png` });
  await dialog.getByRole('table').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${DIR}/compare-390-table.png` });
  await dialog.getByRole('img', { name: /seconds of failing writes/ }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${DIR}/compare-390-chart.png` });

  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('opens one run of the comparison in the playground', async ({ page }) => {
  // Two comparisons of five full runs each on a loaded machine: more time, the same checks.
  test.slow();
  await openQuietCluster(page);
  const dialog = await runComparisonByKeyboard(page);
  await dialog.getByRole('radio', { name: 'The primary data centre goes dark' }).check({ timeout: 30_000 });
  await dialog.getByRole('button', { name: 'Run comparison' }).click();
  await expect(dialog.getByRole('table', { name: /The primary data centre goes dark/ })).toBeVisible({ timeout: 30_000 });
  await expect(dialog.getByRole('status')).toHaveText('Done: 5 runs measured.');
  await dialog.getByText('What happened in each run').click();
  await page.setViewportSize({ width: 1280, height: 900 });
  await dialog.getByText('What happened in each run').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${DIR}/compare-region-notes-1280.png` });
  await dialog.getByRole('button', { name: 'Open the Cross-region replica run in the playground' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('The primary data centre goes dark: cross-region replica');
  await expect(page.locator('[data-node-id="db-2"]')).toBeVisible();
  expect(page.url()).toContain('#s=');
});
