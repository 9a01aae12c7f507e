// Proves that a learner sees the database on the page: roles by failover, lost writes counted live, promotion by the Promote button, and the replication table of the primary.
import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { linkTo, node, pause } from './helpers';

const DIR = process.env.SHOTS3_DIR ?? '/tmp/shots3';

/** A primary, a local synchronous standby and an asynchronous one in the DR region; nothing scripted. */
const THREE_DATABASES = {
  version: 1,
  title: 'A primary and two standbys, no script',
  seed: 7,
  durationMs: 60_000,
  topology: { orchestrators: 0, servers: 0, database: { standbys: [{ replication: 'sync' }, { replication: 'async', region: 'dr' }] } },
  workload: { writesPerSec: 20 },
  events: [],
};

/** The number a meter shows, read from its visible value. */
async function meterValue(page: Page, name: string): Promise<number> {
  const text = (await page.locator(`[data-meter="${name}"] .meter-value`).textContent()) ?? '';
  return Number(text.replace(/[^0-9.]/g, ''));
}

async function seekTo(page: Page, atMs: number): Promise<void> {
  await page.getByRole('slider', { name: 'Time' }).fill(String(atMs));
}

test('async replica: the primary fails, db-2 is promoted, and the writes it never received are counted as lost', async ({ page }) => {
  await page.goto('./#preset=db-async-disk-failure');
  await expect(node(page, 'db-1')).toHaveAttribute('data-role', 'primary');
  await expect(node(page, 'db-2')).toHaveAttribute('data-role', 'standby');
  await expect(page.getByRole('region', { name: 'Database meters' })).toBeVisible();
  await page.getByRole('button', { name: 'Play' }).click(); // a lesson opens paused on its first step
  await expect.poll(() => meterValue(page, 'acknowledged')).toBeGreaterThan(0);
  // Speed up tenfold: the scripted failure at 10 s and promotion at 13 s arrive within seconds.
  await page.getByRole('slider', { name: 'Speed' }).fill('1');
  await expect(node(page, 'db-1')).toHaveAttribute('data-role', 'down', { timeout: 20_000 });
  // At 11 s the lesson asks how many writes will be lost, and the run waits for the learner's guess.
  const question = page.getByRole('group', { name: /how many acknowledged writes are lost/ });
  await expect(question).toBeVisible({ timeout: 20_000 });
  await question.getByRole('button', { name: /^A few/ }).click();
  await expect(node(page, 'db-2')).toHaveAttribute('data-role', 'primary', { timeout: 20_000 });
  await expect(node(page, 'db-2')).toHaveAccessibleName(/db-2, primary, epoch 2/);
  await expect.poll(() => meterValue(page, 'lost')).toBeGreaterThan(0);
  await expect(page.locator('[data-meter="lost"]')).toHaveClass(/is-warning/);
  await expect(page.locator('[data-meter="primary"] .meter-value')).toHaveText('db-2');
});

test('seeking back before the failure shows db-1 as primary again with nothing lost', async ({ page }) => {
  await page.goto('./#preset=db-async-disk-failure');
  await expect(node(page, 'db-1')).toHaveAttribute('data-role', 'primary');
  await seekTo(page, 14_000);
  await expect(node(page, 'db-2')).toHaveAttribute('data-role', 'primary');
  await expect.poll(() => meterValue(page, 'lost')).toBeGreaterThan(0);
  await expect.poll(() => meterValue(page, 'downtime')).toBeGreaterThan(2);
  await seekTo(page, 5_000);
  await expect(node(page, 'db-1')).toHaveAttribute('data-role', 'primary');
  await expect(node(page, 'db-2')).toHaveAttribute('data-role', 'standby');
  expect(await meterValue(page, 'lost')).toBe(0);
});

test('sync replica: the same failure loses no acknowledged write', async ({ page }) => {
  await page.goto('./#preset=db-sync-disk-failure');
  await expect(node(page, 'db-1')).toHaveAttribute('data-role', 'primary');
  await seekTo(page, 16_000);
  await expect(node(page, 'db-1')).toHaveAttribute('data-role', 'down');
  await expect(node(page, 'db-2')).toHaveAttribute('data-role', 'primary');
  await expect.poll(() => meterValue(page, 'acknowledged')).toBeGreaterThan(400);
  expect(await meterValue(page, 'lost')).toBe(0);
  await expect(page.locator('[data-meter="lost"]')).not.toHaveClass(/is-warning/);
});

test('the primary lists its standbys with their LSNs, and Promote makes a standby the primary', async ({ page }) => {
  await page.goto(linkTo(THREE_DATABASES));
  await expect(node(page, 'db-1')).toHaveAttribute('data-role', 'primary');
  await node(page, 'db-1').click();
  await expect(page.getByRole('button', { name: 'Promote' })).toBeDisabled();
  // The same reason also describes Switchover to screen readers (hidden); the visible one is Promote's.
  await expect(page.locator('#promote-reason')).toHaveText('db-1 is already the primary.');
  await expect(page.locator('#promote-reason')).toBeVisible();
  const table = page.getByRole('table', { name: /Replication from db-1/ });
  await expect(table.getByRole('columnheader', { name: 'flush' })).toBeVisible();
  for (const [standby, mode] of [['db-2', 'sync'], ['db-3', 'async']] as const) {
    const row = table.getByRole('row', { name: new RegExp(standby) });
    await expect(row.getByRole('cell', { name: mode, exact: true })).toBeVisible();
    // Sent, write, flush and replay positions, printed as PostgreSQL prints LSNs.
    await expect(row.getByRole('cell', { name: /^[0-9A-F]+\/[0-9A-F]+$/ })).toHaveCount(4);
  }
  await expect.poll(async () => (await table.getByRole('row', { name: /db-3/ }).getByRole('cell').nth(4).textContent()) ?? '0/0').not.toBe('0/0');

  await pause(page);
  await node(page, 'db-3').click();
  const promote = page.getByRole('button', { name: 'Promote' });
  await expect(promote).toBeEnabled();
  await promote.click();
  await page.getByRole('slider', { name: 'Speed' }).fill('0'); // 1×: the old primary hears of the new epoch within a second
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(node(page, 'db-3')).toHaveAttribute('data-role', 'primary');
  await expect(node(page, 'db-3')).toHaveAccessibleName(/epoch 2/);
  // The old primary learns of the newer epoch and follows it.
  await expect(node(page, 'db-1')).toHaveAttribute('data-role', 'standby');
  await expect(page.getByRole('table', { name: /Replication from db-3/ }).getByRole('row', { name: /db-1/ })).toBeVisible();
});

test('Promote is in the node menu and on Shift+P for a selected standby', async ({ page }) => {
  await page.goto(linkTo(THREE_DATABASES));
  await expect(node(page, 'db-1')).toHaveAttribute('data-role', 'primary');
  await node(page, 'db-2').click({ button: 'right' });
  await expect(page.getByRole('menuitem', { name: /Promote/ })).toBeEnabled();
  await page.keyboard.press('Escape');
  await node(page, 'db-2').focus();
  await page.keyboard.press('Shift+P');
  await expect(node(page, 'db-2')).toHaveAttribute('data-role', 'primary');
});

test('screenshots of the database states', async ({ page }) => {
  mkdirSync(DIR, { recursive: true });
  await page.goto('./#preset=db-async-disk-failure&t=5000');
  await expect(node(page, 'db-1')).toHaveAttribute('data-role', 'primary');
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForTimeout(400);
  await pause(page);
  await page.getByText('Legend').click();
  await page.screenshot({ path: `${DIR}/1-async-before-failure.png` });
  await page.getByText('Legend').click();
  await node(page, 'db-1').click();
  await page.screenshot({ path: `${DIR}/2-inspector-replication.png` });
  await seekTo(page, 14_000);
  await expect(node(page, 'db-2')).toHaveAttribute('data-role', 'primary');
  await node(page, 'db-2').click();
  await page.screenshot({ path: `${DIR}/3-async-after-failure.png` });

  await page.goto('./#preset=db-region-outage&t=16000');
  await expect(node(page, 'db-3')).toHaveAttribute('data-role', 'primary');
  await page.screenshot({ path: `${DIR}/4-region-outage.png` });

  await page.setViewportSize({ width: 360, height: 800 });
  await page.goto('./#preset=db-async-disk-failure&t=14000');
  await expect(node(page, 'db-2')).toHaveAttribute('data-role', 'primary');
  await page.screenshot({ path: `${DIR}/5-narrow-360.png` });
  await page.locator('.graph').screenshot({ path: `${DIR}/6-narrow-360-graph.png` });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await node(page, 'db-2').click();
  await page.screenshot({ path: `${DIR}/7-projector.png` });
});
