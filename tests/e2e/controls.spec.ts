// Proves the playback controls tell the truth and answer the keyboard: the Speed label shows the measured rate and says when it hurries, the Time slider's arrow keys and the previous/next event buttons move the moment, the latest event and the status region describe the moment on screen after a seek, Copy link keeps the moment, Space plays and pauses wherever it types nothing, and a keyboard alone plays, pauses, crashes a node and applies a partition.
import { expect, test, type Page } from '@playwright/test';
import { FIVE_NODES, linkTo, node, openQuietCluster, openTools, pause, waitForLeader } from './helpers';

const clockText = (page: Page) => page.getByLabel('Simulated time');
const status = (page: Page) => page.locator('p.announcer[role="status"]');
const speedLabel = (page: Page) => page.locator('[data-speed-label]');

function ms(clock: string): number {
  return Math.round(Number(clock.replace(/[^0-9.]/g, '')) * 1000);
}

test('the Speed label shows the rate the clock really runs at, and says when it hurries through quiet time', async ({ page }) => {
  // A database streams WAL all the time: routine traffic, so the clock hurries between elections.
  await page.goto('./#preset=failover-primary-crash');
  // A lesson opens paused on its first step: the learner presses Play.
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByRole('button', { name: 'Play' })).toHaveAttribute('aria-pressed', 'true');
  await expect(speedLabel(page)).toContainText(/hurrying ×[\d.]+ through quiet time$/);
  await expect(page.getByRole('slider', { name: 'Speed' })).toHaveAttribute('aria-valuetext', '0.02×');
  const shown = Number(/^([\d.]+)×/.exec((await speedLabel(page).textContent()) ?? '')?.[1]);
  expect(shown).toBeGreaterThan(0.02 * 1.2);

  await page.getByRole('checkbox', { name: 'Hurry through quiet time' }).uncheck();
  await expect(speedLabel(page)).not.toContainText('hurrying');
  await pause(page);
  await expect(speedLabel(page)).toHaveText('0.02×');
});

test('the Time slider moves 100 ms per arrow key and a second with Shift', async ({ page }) => {
  await page.goto(linkTo(FIVE_NODES, 5000));
  await expect(clockText(page)).toHaveText('5.000 s');
  const slider = page.getByRole('slider', { name: 'Time' });
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  await expect(clockText(page)).toHaveText('5.100 s');
  await page.keyboard.press('Shift+ArrowRight');
  await expect(clockText(page)).toHaveText('6.100 s');
  await page.keyboard.press('ArrowLeft');
  await expect(clockText(page)).toHaveText('6.000 s');
  await expect(page.getByRole('button', { name: 'Pause' })).toHaveAttribute('aria-pressed', 'true');
});

/** The event log's newest notable line: its time and its words. */
async function newestNotable(page: Page): Promise<{ atMs: number; words: string }> {
  const text = ((await page.locator('.log-lines button.is-notable').first().textContent()) ?? '').trim();
  const [, at, words] = /^(\d+\.\d+ s)\s*(.*)$/.exec(text) ?? [];
  return { atMs: ms(at ?? '-1 s'), words: words ?? '' };
}

test('previous and next event jump between notable events, and the status region follows the moment', async ({ page }) => {
  await page.goto('./#preset=raft-basics&t=0');
  await expect(clockText(page)).toHaveText('0.000 s');
  const next = page.getByRole('button', { name: 'Go on to the following event' });
  await next.click();
  await expect.poll(async () => ms((await clockText(page).textContent()) ?? '')).toBeGreaterThan(0);
  const first = ms((await clockText(page).textContent()) ?? '');
  // The clock stands at the event the log names last, and the status region says it.
  const reached = await newestNotable(page);
  expect(reached.atMs).toBe(first);
  await expect(status(page)).toContainText(reached.words);
  // ] goes on, one event at a time, until the leader is elected; [ comes back.
  for (let i = 0; i < 10 && !((await status(page).textContent()) ?? '').includes('elected leader'); i++) {
    const before = (await clockText(page).textContent()) ?? '';
    await page.keyboard.press(']');
    await expect(clockText(page)).not.toHaveText(before);
  }
  await expect(status(page)).toContainText('elected leader');
  const elected = ms((await clockText(page).textContent()) ?? '');
  expect(elected).toBeGreaterThan(first);
  await page.keyboard.press('[');
  await expect.poll(async () => ms((await clockText(page).textContent()) ?? '')).toBeLessThan(elected);
  await expect(status(page)).toContainText((await newestNotable(page)).words);
  expect((await newestNotable(page)).atMs).toBe(ms((await clockText(page).textContent()) ?? ''));
});

test('after a rewind the latest event line describes the moment on screen, not the one left', async ({ page }) => {
  await page.goto('./#preset=raft-basics&t=20000');
  await expect(clockText(page)).toHaveText('20.000 s');
  await expect(status(page)).not.toHaveText('');
  const at20 = (await status(page).textContent()) ?? '';
  await page.getByRole('slider', { name: 'Time' }).fill('5000');
  await expect(clockText(page)).toHaveText('5.000 s');
  await expect(status(page)).not.toHaveText(at20);
  // The status region says what the log's newest notable line (at or before 5 s) says.
  const newest = await newestNotable(page);
  expect(newest.atMs).toBeLessThanOrEqual(5000);
  await expect(status(page)).toContainText(newest.words);
});

test('Copy link keeps the moment on screen: the link opens paused there, in the page and in presenter mode', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openQuietCluster(page);
  await waitForLeader(page);
  await pause(page);
  const shown = ms((await clockText(page).textContent()) ?? '');
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#s=[^&]+&t=\d+$/);
  const hash = await page.evaluate(() => location.hash);
  expect(Number(/&t=(\d+)$/.exec(hash)![1])).toBe(shown);

  const other = await context.newPage();
  await other.addInitScript(() => localStorage.clear());
  await other.goto(`./${hash}`);
  await expect(clockText(other)).toHaveText(`${(shown / 1000).toFixed(3)} s`);
  await expect(other.getByRole('button', { name: 'Pause' })).toHaveAttribute('aria-pressed', 'true');
  await expect(status(other)).toContainText('elected leader');
  await other.keyboard.press('f');
  await expect(other.getByRole('status').filter({ hasText: 'elected leader' })).toHaveCount(1);
});

test('keyboard only: play and pause from the top of the page, crash a node, apply a partition', async ({ page }) => {
  await page.goto(linkTo(FIVE_NODES, 0));
  await expect(node(page, 'orch-1')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Pause' })).toHaveAttribute('aria-pressed', 'true');
  // Play is within reach of the top: Tab to the skip button, Enter, and the focus is on Play.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Skip to the time controls' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Play' })).toBeFocused();
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Play' })).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Space'); // on Play, Space toggles: never a dead key
  await expect(page.getByRole('button', { name: 'Pause' })).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Space');
  const leader = await waitForLeader(page);

  // With a node focused, Space still plays and pauses.
  const digit = leader.id.replace('orch-', '');
  await page.keyboard.press(digit);
  await expect(node(page, leader.id)).toBeFocused();
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Pause' })).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('c');
  await expect(node(page, leader.id)).toHaveAttribute('data-role', 'down');

  // The partition tool: p, pick two nodes by number, a applies.
  await page.keyboard.press('p');
  await expect(page.getByRole('heading', { name: 'Partition: pick side 1' })).toBeVisible();
  const picks = ['1', '2', '3', '4', '5'].filter((d) => d !== digit).slice(0, 2);
  for (const d of picks) await page.keyboard.press(d);
  await page.keyboard.press('a');
  await expect(page.getByRole('heading', { name: 'Partition: pick side 1' })).toHaveCount(0);
  for (const d of picks) await expect(node(page, `orch-${d}`)).toHaveAttribute('data-side', '1');
  await expect(page.locator('.partition-note')).toContainText('Partitioned');
});

test('Space types in a text field and activates another focused button, instead of playing', async ({ page }) => {
  await page.goto(linkTo(FIVE_NODES, 0));
  await expect(page.getByRole('button', { name: 'Pause' })).toHaveAttribute('aria-pressed', 'true');
  await openTools(page);
  const command = page.getByRole('textbox', { name: 'Command to propose' });
  await command.focus();
  await page.keyboard.type('set a b');
  await expect(command).toHaveValue('set a b');
  await expect(page.getByRole('button', { name: 'Pause' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('checkbox', { name: 'Hurry through quiet time' }).focus();
  await page.keyboard.press('Space');
  await expect(page.getByRole('checkbox', { name: 'Hurry through quiet time' })).not.toBeChecked();
  await expect(page.getByRole('button', { name: 'Pause' })).toHaveAttribute('aria-pressed', 'true');
});
