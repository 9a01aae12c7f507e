// Proves that a learner sees an automatic failover as it happens: the step indicator reaches redirect, the orchestrator leader's inspector counts the crashed primary's failed checks, and the chart of writes and lag follows the run and its seeks.
import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { node, pause } from './helpers';

const DIR = process.env.SHOTS5_DIR ?? '/tmp/shots5';

async function seekTo(page: Page, atMs: number): Promise<void> {
  await page.getByRole('slider', { name: 'Time' }).fill(String(atMs));
}

async function openLesson(page: Page): Promise<void> {
  await page.goto('./#preset=failover-primary-crash');
  await expect(node(page, 'db-1')).toHaveAttribute('data-role', 'primary');
}

function steps(page: Page) {
  return page.getByRole('region', { name: 'Failover steps' });
}

/** The orchestrator that leads (its agent is the one that checks the database). */
async function leaderId(page: Page): Promise<string> {
  const leader = page.locator('[data-role="leader"]');
  await expect(leader).toHaveCount(1);
  return (await leader.getAttribute('data-node-id')) ?? '';
}

test('playing past the crash shows each failover step, ending in redirect', async ({ page }) => {
  // Opened paused just before the crash; at 1× the failover comes about 4 s later and stays on screen 8 s after it ends.
  await page.goto('./#preset=failover-primary-crash&t=9000');
  await expect(node(page, 'db-1')).toHaveAttribute('data-role', 'primary');
  await expect(steps(page)).toHaveCount(0);
  await page.getByRole('slider', { name: 'Speed' }).fill('0');
  // 9 s is the lesson's question (which node becomes primary?): a learner answers it, and the run plays on.
  const question = page.getByRole('group', { name: /Which node becomes the new primary/ });
  await expect(question).toBeVisible();
  await question.getByRole('button', { name: /^db-2/ }).click();
  await expect(steps(page)).toHaveAttribute('data-failover', 'completed', { timeout: 20_000 });
  await pause(page);
  await expect(steps(page)).toContainText('Failover completed: db-1 → db-2');
  for (const step of ['detect', 'confirm', 'fence', 'promote', 'redirect']) {
    await expect(steps(page).locator(`[data-step="${step}"]`)).toHaveAttribute('data-state', 'done');
  }
  await expect(node(page, 'db-2')).toHaveAttribute('data-role', 'primary');
});

test('seeking past 13 s shows the completed failover; seeking back before it hides it', async ({ page }) => {
  await openLesson(page);
  await seekTo(page, 14_000);
  await expect(steps(page)).toHaveAttribute('data-failover', 'completed');
  await expect(steps(page).getByText('redirect: done')).toBeAttached();
  await seekTo(page, 5_000);
  await expect(steps(page)).toHaveCount(0);
});

test('between detection and confirmation the indicator shows detect done and confirm in progress', async ({ page }) => {
  // In this lesson the leader detects db-1's failure at 12.808 s and the log commits the decision at 12.813 s.
  await page.goto('./#preset=failover-partition-safe&t=12810');
  await expect(steps(page)).toHaveAttribute('data-failover', 'in-progress');
  await expect(steps(page)).toContainText('Failover in progress: db-1 → db-2');
  await expect(steps(page).locator('[data-step="detect"]')).toHaveAttribute('data-state', 'done');
  await expect(steps(page).locator('[data-step="confirm"]')).toHaveAttribute('data-state', 'current');
  await expect(steps(page).locator('[data-step="redirect"]')).toHaveAttribute('data-state', 'pending');
  // Step also stops half way along each message now, so go on event by event until the clock passes the commit at 12.813 s.
  const clockMs = async () => Math.round(Number(((await page.getByLabel('Simulated time', { exact: true }).textContent()) ?? '').replace(/[^0-9.]/g, '')) * 1000);
  for (let i = 0; i < 20 && (await clockMs()) <= 12_813; i++) {
    const before = await clockMs();
    await page.getByRole('button', { name: 'Go on to the following event' }).click();
    await expect.poll(clockMs).toBeGreaterThan(before);
  }
  await expect(steps(page).locator('[data-step="confirm"]')).toHaveAttribute('data-state', 'done');
});

test('the leader’s inspector counts the crashed primary’s failed checks, and the primary says who watches it', async ({ page }) => {
  await openLesson(page);
  await seekTo(page, 12_000);
  await expect(node(page, 'db-1')).toHaveAttribute('data-role', 'down');
  const leader = await leaderId(page);
  await node(page, leader).click();
  const table = page.getByRole('table', { name: `Health checks by ${leader}` });
  await expect(table).toBeVisible();
  await expect(table.getByRole('row', { name: /db-1/ }).getByRole('cell').first()).toHaveText(/^[12] of 3/);
  await expect(table.getByRole('row', { name: /db-2/ }).getByRole('cell').first()).toHaveText(/^0 of 3/);
  await expect(page.getByText(/Lease last renewed: db-1 \(epoch 1\)/)).toBeVisible();
  await expect(page.getByText('No failover in progress.')).toBeVisible();
  await node(page, 'db-1').click();
  await expect(page.getByText(new RegExp(`Watched by ${leader}: [12] of 3 failed checks`))).toBeVisible();
});

test('the chart of writes and replication lag has a summary in words that follows seeks', async ({ page }) => {
  await openLesson(page);
  await seekTo(page, 16_000);
  const chart = page.getByRole('img', { name: /Chart of writes per second and replication lag/ });
  await expect(chart).toBeVisible();
  const summary = page.getByTestId('chart-summary');
  await expect(summary).toContainText('Up to 16.0 s');
  await expect(summary).toContainText(/\d+ writes acknowledged, \d+ rejected/);
  await expect(summary).toContainText('No write was acknowledged from');
  await expect(chart).toHaveAccessibleDescription(/writes acknowledged/);
  await seekTo(page, 5_000);
  await expect(summary).toContainText('Up to 5.0 s');
  await expect(summary).not.toContainText('No write was acknowledged');
});

test('screenshots of the failover views', async ({ page }) => {
  mkdirSync(DIR, { recursive: true });
  await page.setViewportSize({ width: 1400, height: 900 });
  await openLesson(page);
  await seekTo(page, 12_000);
  await expect(node(page, 'db-1')).toHaveAttribute('data-role', 'down');
  await node(page, await leaderId(page)).click();
  await page.screenshot({ path: `${DIR}/1-leader-watch-1400.png` });
  await seekTo(page, 13_050);
  await expect(steps(page)).toBeVisible();
  await page.screenshot({ path: `${DIR}/2-failover-midway-1400.png` });
  await seekTo(page, 16_000);
  await expect(steps(page)).toHaveAttribute('data-failover', 'completed');
  await page.screenshot({ path: `${DIR}/3-failover-done-1400.png` });
  await page.locator('.chart-panel').screenshot({ path: `${DIR}/4-chart-1400.png` });
  await node(page, 'db-2').click();
  await page.screenshot({ path: `${DIR}/5-db2-inspector-1400.png` });
  const follower = page.locator('[data-kind="orchestrator"][data-role="follower"], [data-node-id^="orch"][data-role="follower"]').first();
  const followerId = (await follower.getAttribute('data-node-id'))!;
  await follower.click();
  // The previous node's inspector slides out as the follower's slides in: wait until only the follower's is left.
  await expect(page.locator('.inspector')).toHaveCount(1);
  await expect(page.locator('.inspector h2')).toHaveText(followerId);
  await page.locator('.inspector').screenshot({ path: `${DIR}/5b-follower-inspector-1400.png` });

  await page.goto('./#preset=failover-partition-safe&t=12810');
  await expect(steps(page)).toHaveAttribute('data-failover', 'in-progress');
  await page.screenshot({ path: `${DIR}/2b-in-progress-1400.png` });
  await page.setViewportSize({ width: 360, height: 800 });
  await steps(page).screenshot({ path: `${DIR}/2c-in-progress-360.png` });
  await page.goto('./#preset=failover-primary-crash&t=16000');
  await expect(node(page, 'db-2')).toHaveAttribute('data-role', 'primary');
  await page.screenshot({ path: `${DIR}/6-narrow-360.png`, fullPage: true });
  await page.locator('.chart-panel').screenshot({ path: `${DIR}/7-chart-360.png` });
  await node(page, await leaderId(page)).click();
  await page.locator('.inspector').screenshot({ path: `${DIR}/8-leader-inspector-360.png` });

  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto('./#preset=failover-split-brain');
  await expect(node(page, 'db-1')).toHaveAttribute('data-role', 'primary');
  await seekTo(page, 13_500);
  await node(page, 'db-1').click();
  await page.screenshot({ path: `${DIR}/9-split-brain-db1-1400.png` });
  await node(page, 'orch-2').click();
  await page.screenshot({ path: `${DIR}/10-split-brain-orch2-1400.png` });
});
