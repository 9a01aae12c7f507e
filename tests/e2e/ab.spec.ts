// Proves A/B side by side works like a person uses it: opened from Tools by the keyboard, PreVote off against on picked on a scenario, both runs played on one clock with two graphs, the first difference marked on the timeline and said in words, a copied link that opens the same comparison in a new page, a clear error for a bad link, and one run at a time with a switch on a phone.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { openTools } from './helpers';

async function openAb(page: Page): Promise<Locator> {
  await openTools(page);
  await page.getByRole('button', { name: 'A/B side by side' }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'A/B side by side' });
  await expect(dialog).toBeVisible();
  return dialog;
}

/** The simulated time both runs show, from the shared time slider. */
async function abTime(dialog: Locator): Promise<number> {
  const text = (await dialog.getByRole('slider', { name: 'Time of both runs' }).getAttribute('aria-valuetext')) ?? '';
  return Number.parseFloat(text);
}

const FIRST_DIFFERENCE = /^First difference at 1\.537 s: A \(PreVote off\): orch-3 became candidate in term 1: election timeout; B \(PreVote on\): orch-3 became precandidate in term 0: election timeout\.$/;

test('compares PreVote off and on side by side, marks the first difference, and reopens from its link', async ({ page, context }) => {
  await page.goto('./#preset=raft-basics');
  await expect(page.locator('.stage [data-node-id]')).toHaveCount(3);
  const dialog = await openAb(page);

  await dialog.getByLabel('Setting').selectOption('prevote');
  await dialog.getByLabel('A runs with').selectOption('off');
  await dialog.getByLabel('B runs with').selectOption('on');
  await expect(dialog.getByLabel('Seed')).toHaveValue('1');
  await dialog.getByRole('button', { name: 'Run A/B' }).click();

  // Two graphs, each with the scenario's three orchestrators, ids legible at 1366×768.
  const graphA = dialog.getByTestId('ab-graph-a');
  const graphB = dialog.getByTestId('ab-graph-b');
  for (const graph of [graphA, graphB]) await expect(graph.locator('[data-node-id]')).toHaveCount(3);
  const a = (await graphA.boundingBox())!;
  const b = (await graphB.boundingBox())!;
  expect(b.x).toBeGreaterThan(a.x + a.width - 1); // side by side, not stacked
  for (const graph of [graphA, graphB]) {
    // The id as drawn (its font scaled by the graph's zoom) is at least 12 px tall.
    const id = (await graph.locator('[data-node-id="orch-1"] .sim-node-id').boundingBox())!;
    expect(id.height).toBeGreaterThanOrEqual(12);
  }
  await expect(dialog.getByRole('region', { name: 'Run A: PreVote off' })).toBeVisible();
  await expect(dialog.getByRole('region', { name: 'Run B: PreVote on' })).toBeVisible();

  // The first difference is found in the worker, said in words and marked on the timeline.
  const difference = dialog.getByTestId('ab-difference');
  await expect(difference).toHaveText(FIRST_DIFFERENCE);
  const mark = dialog.getByTestId('ab-difference-mark');
  await expect(mark).toBeVisible();
  await expect(mark).toContainText('first difference 1.537 s');
  const slider = (await dialog.getByRole('slider', { name: 'Time of both runs' }).boundingBox())!;
  const markBox = (await mark.boundingBox())!;
  const fraction = (markBox.x - slider.x) / slider.width;
  expect(fraction).toBeGreaterThan(1537 / 20_000 - 0.03);
  expect(fraction).toBeLessThan(1537 / 20_000 + 0.03);

  // Play runs both on one clock; the Play button answers Space, and pauses both.
  expect(await abTime(dialog)).toBe(0);
  const play = dialog.getByRole('button', { name: 'Play both runs' });
  await play.focus();
  await page.keyboard.press('Space');
  const pauseButton = dialog.getByRole('button', { name: 'Pause both runs' });
  await expect(pauseButton).toBeVisible();
  await expect.poll(() => abTime(dialog), { timeout: 30_000 }).toBeGreaterThan(0.3);
  await page.keyboard.press('Space');
  await expect(dialog.getByRole('button', { name: 'Play both runs' })).toBeVisible();
  const paused = await abTime(dialog);
  await page.waitForTimeout(400);
  expect(await abTime(dialog)).toBe(paused);

  // Going to the first difference shows both runs at that moment: A's orch-3 stands for term 1,
  // B's only asks first (a pre-candidate, still in term 0).
  await dialog.getByRole('button', { name: 'Go to the first difference' }).click();
  await expect.poll(() => abTime(dialog)).toBeCloseTo(1.537, 3);
  await expect(graphA.locator('[data-node-id="orch-3"]')).toHaveAttribute('aria-label', 'orch-3, candidate, term 1');
  await expect(graphB.locator('[data-node-id="orch-3"]')).toHaveAttribute('aria-label', 'orch-3, candidate, term 0');
  // The time slider answers the keyboard and moves both runs: at the end (after the script crashed
  // the leader at 6 s), each has elected orch-2 in term 2.
  await dialog.getByRole('slider', { name: 'Time of both runs' }).focus();
  await page.keyboard.press('End');
  await expect.poll(() => abTime(dialog)).toBe(20);
  for (const side of ['a', 'b']) await expect(dialog.locator(`[data-ab-side="${side}"] [data-fact="leader"]`)).toHaveText(/^orch-2 \(term 2\)$/);

  // The link holds the scenario, the two variants and the seed.
  await dialog.getByRole('button', { name: 'Copy link' }).click();
  const linkBox = dialog.getByRole('textbox', { name: 'Link to this comparison' });
  await expect(linkBox).toHaveValue(/#preset=raft-basics&ab=prevote\.off\.on&ab-seed=1$/);
  const link = await linkBox.inputValue();

  const other = await context.newPage();
  await other.goto(link);
  const reopened = other.getByRole('dialog', { name: 'A/B side by side' });
  await expect(reopened).toBeVisible();
  await expect(reopened.getByLabel('Setting')).toHaveValue('prevote');
  await expect(reopened.getByLabel('A runs with')).toHaveValue('off');
  await expect(reopened.getByLabel('B runs with')).toHaveValue('on');
  await expect(reopened.getByLabel('Seed')).toHaveValue('1');
  for (const side of ['a', 'b']) await expect(reopened.getByTestId(`ab-graph-${side}`).locator('[data-node-id]')).toHaveCount(3);
  await expect(reopened.getByTestId('ab-difference')).toHaveText(FIRST_DIFFERENCE);
  await expect(reopened.getByTestId('ab-difference-mark')).toBeVisible();

  // Escape closes it; the playground is behind, as it was.
  await other.keyboard.press('Escape');
  await expect(reopened).toBeHidden();
  await expect(other.locator('.stage [data-node-id]')).toHaveCount(3);
});

test('a link with a setting the scenario cannot compare, or a malformed A/B part, opens with the reason in words', async ({ page }) => {
  await page.goto('./#preset=raft-basics&ab=replication.sync.async');
  const dialog = page.getByRole('dialog', { name: 'A/B side by side' });
  await expect(dialog.getByRole('alert')).toHaveText('This scenario cannot compare Replication: it needs a database with a standby.');
  await page.goto('about:blank');
  await page.goto('./#preset=raft-basics&ab=prevote&ab-seed=1');
  await expect(dialog.getByRole('alert')).toContainText('The link’s ab= must name a setting and its two values');
  // The playground itself still opened the scenario.
  await page.keyboard.press('Escape');
  await expect(page.locator('.stage [data-node-id]')).toHaveCount(3);
});

test('on a phone one run shows at a time, with a switch between them', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('./#preset=failover-primary-crash&ab=fencing.off.on');
  const dialog = page.getByRole('dialog', { name: 'A/B side by side' });
  await expect(dialog.getByTestId('ab-difference')).toContainText('First difference at');
  const graphA = dialog.getByTestId('ab-graph-a');
  const graphB = dialog.getByTestId('ab-graph-b');
  await expect(graphA).toBeVisible();
  await expect(graphB).toBeHidden();
  await dialog.getByRole('button', { name: 'Show B: Fencing on' }).click();
  await expect(graphB).toBeVisible();
  await expect(graphA).toBeHidden();
  await expect(dialog.getByRole('button', { name: 'Show B: Fencing on' })).toHaveAttribute('aria-pressed', 'true');
  // Nothing widens the page sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const box = (await graphB.boundingBox())!;
  expect(box.width).toBeGreaterThan(300);
});

test('partition sides inside a run are numbered, never lettered like the runs A and B', async ({ page }) => {
  // failover-split-brain cuts db-1 and orch-1 from the rest at 10 s: both runs show the partition.
  await page.goto('./#preset=failover-split-brain&ab=fencing.off.on&ab-seed=1');
  const dialog = page.getByRole('dialog', { name: 'A/B side by side' });
  await expect(dialog.getByTestId('ab-difference')).toContainText('First difference at');
  await dialog.getByRole('slider', { name: 'Time of both runs' }).fill('15000'); // before the heal at 20 s
  await expect.poll(() => abTime(dialog)).toBe(15);
  for (const graph of [dialog.getByTestId('ab-graph-a'), dialog.getByTestId('ab-graph-b')]) {
    const badges = graph.locator('[data-node-id] > .side-badge');
    await expect(badges.first()).toBeVisible();
    for (const text of await badges.allTextContents()) expect(['1', '2']).toContain(text);
    await expect(graph.locator('[data-node-id="orch-1"]')).toHaveAccessibleName(/, side \d of the partition/);
  }
});
