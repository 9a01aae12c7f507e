// Proves the first screen teaches and the meters agree with the graph: a first visit opens the lesson gallery, grouped by the article's sections with each card's goal, time and guidance, "Start here" on top; a lesson opens paused on step 1 with Play offered; the tools sit in their own row; during split brain the PRIMARY meter names both primaries that take writes and the log counts lost writes as the meter does; a down node's card shows its last known values, as its inspector does.
import { expect, test, type Page } from '@playwright/test';
import { ARTICLE_SECTIONS } from '../support/article-sections';
import { node } from './helpers';

function meterValue(page: Page, name: string) {
  return page.locator(`[data-meter="${name}"] .meter-value`);
}

test('a first visit opens the lesson gallery; a lesson opens paused on its first step', async ({ page }) => {
  await page.addInitScript(() => localStorage.clear());
  await page.goto('./');
  const gallery = page.getByRole('dialog', { name: 'Lessons' });
  await expect(gallery).toBeVisible();
  const start = gallery.getByRole('region', { name: 'Start here' }).getByRole('button');
  await expect(start).toContainText('Start here');
  await expect(start).toBeFocused();
  // Where to start is the course's first lesson (1.1), not one further on.
  await expect(start).toHaveAttribute('data-preset', 'stateless-vs-stateful');
  await expect(start.locator('.gallery-number')).toHaveText('1.1');
  await expect(page).toHaveURL(/#preset=stateless-vs-stateful$/);
  await expect(gallery.getByRole('heading', { level: 3 })).toHaveText(ARTICLE_SECTIONS);
  // Every card says how long it takes and whether it is guided.
  const cards = gallery.locator('.gallery-card');
  expect(await cards.count()).toBeGreaterThan(20);
  for (const card of await cards.all()) {
    await expect(card).toContainText(/about \d+ min/);
    await expect(card).toContainText(/guided, step by step|free play/);
  }
  const splitBrain = gallery.getByRole('region', { name: 'Split brain' });
  await expect(splitBrain.getByRole('button', { name: /Split brain: a partitioned primary/ })).toContainText('guided');

  await splitBrain.getByRole('button', { name: /Split brain: a partitioned primary/ }).click();
  await expect(gallery).toBeHidden();
  await expect(page).toHaveURL(/#preset=failover-split-brain$/);
  await expect(page.getByRole('region', { name: /^Step 1 of \d+$/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Pause' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByLabel('Simulated time', { exact: true })).toHaveText('0.000 s');
  await expect(page.getByRole('button', { name: 'Play' })).toHaveClass(/is-inviting/);
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByRole('button', { name: 'Play' })).toHaveAttribute('aria-pressed', 'true');

  // The tools are folded into one menu button: closed, none shows; opened by the keyboard, the
  // arrow keys move through them and Escape closes it, back on the button. The gallery reopens from the first row.
  const tools = page.getByRole('group', { name: 'More tools' });
  const toolsButton = page.getByRole('button', { name: 'Tools' });
  await expect(toolsButton).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByRole('button', { name: 'Download report' })).toHaveCount(0);
  await toolsButton.focus();
  await page.keyboard.press('Enter');
  await expect(toolsButton).toHaveAttribute('aria-expanded', 'true');
  for (const name of ['Propose', 'Download report', 'Download trace', 'Compare strategies', 'A/B side by side', 'Run many seeds']) await expect(tools.getByRole('button', { name })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Command to propose' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(tools.getByRole('button', { name: 'Propose' })).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(page.getByRole('textbox', { name: 'Command to propose' })).toBeFocused();
  // In the text field Home and End move the caret; on a button they go to the last tool.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
  await expect(page.getByRole('button', { name: 'Run many seeds' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(toolsButton).toHaveAttribute('aria-expanded', 'false');
  await expect(toolsButton).toBeFocused();
  await expect(tools).toBeHidden();
  await page.locator('.toolbar').getByRole('button', { name: 'Lessons…' }).click();
  await expect(gallery).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(gallery).toBeHidden();
});

test('a link opens its scenario, not the gallery', async ({ page }) => {
  await page.addInitScript(() => localStorage.clear());
  await page.goto('./#preset=raft-basics');
  await expect(node(page, 'orch-1')).toBeVisible();
  await expect(page.getByRole('dialog', { name: 'Lessons' })).toBeHidden();
});

test('split brain: the PRIMARY meter names both primaries, and the log counts lost writes as the Lost writes meter does', async ({ page }) => {
  await page.goto('./#preset=failover-split-brain&t=14000');
  await expect(page.getByLabel('Simulated time', { exact: true })).toHaveText('14.000 s');
  const primaries = page.locator('[data-role="primary"]');
  await expect(primaries).toHaveCount(2);
  const ids = await primaries.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-node-id')));
  for (const id of ids) await expect(meterValue(page, 'primary')).toContainText(id!);
  await expect(page.locator('[data-meter="primary"]')).toContainText('split brain');
  const lost = Number(await meterValue(page, 'lost').textContent());
  expect(lost).toBeGreaterThan(0);
  const told = page.locator('.log-lines button', { hasText: 'acknowledged write' }).first();
  await expect(told).toBeVisible();
  const [, more, inAll] = /(\d+) acknowledged writes? lost(?:, (\d+) in all)?/.exec((await told.textContent()) ?? '') ?? [];
  expect(Number(inAll ?? more)).toBe(lost);
});

test('a down node’s card shows its last known values, the same as its inspector', async ({ page }) => {
  await page.goto('./#preset=raft-basics&t=9000');
  const down = page.locator('[data-role="down"]').first();
  await expect(down).toBeVisible();
  await expect(down).toContainText(/last known: log \d+ · commit \d+/);
  const commit = /commit (\d+)/.exec((await down.textContent()) ?? '')![1];
  expect(Number(commit)).toBeGreaterThan(0);
  await down.click();
  const row = page.locator('.inspector .detail-table div', { has: page.locator('dt', { hasText: /^commitIndex$/ }) });
  await expect(row.locator('dd')).toHaveText(commit!);
});
