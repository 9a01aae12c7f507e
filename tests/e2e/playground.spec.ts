// Proves that a person can break the simulated cluster from the page and rewind it: crash a leader, cut a link, seek back, reload, and recover from a broken link.
import { expect, test } from '@playwright/test';
import { clock, copyLink, linkTo, openQuietCluster, pause, waitForLeader } from './helpers';

test('crashing the leader with the Crash button leads to a new leader in a higher term', async ({ page }) => {
  await openQuietCluster(page);
  const first = await waitForLeader(page);
  await page.locator(`[data-node-id="${first.id}"]`).click();
  await page.getByRole('button', { name: 'Crash' }).click();
  await expect(page.locator(`[data-node-id="${first.id}"]`)).toHaveAttribute('data-role', 'down');
  await expect(page.locator(`[data-node-id="${first.id}"]`)).toHaveAccessibleName(new RegExp(`^${first.id}, down`));
  const second = await waitForLeader(page, first.term);
  expect(second.id).not.toBe(first.id);
  await expect(page.getByRole('status').filter({ hasText: 'elected leader' })).toContainText(`${second.id} elected leader, term ${second.term}`);
});

test('a cut link carries no more messages, and Heal link restores it', async ({ page }) => {
  await openQuietCluster(page);
  const { id: leaderId } = await waitForLeader(page);
  const follower = leaderId === 'orch-1' ? 'orch-2' : 'orch-1';
  const key = [leaderId, follower].sort().join('|');
  const delivered = page.locator(`[data-link="${key}"] [data-dropped="false"]`);
  // Heartbeats flow on the link before the cut.
  await expect.poll(() => delivered.count(), { timeout: 10_000 }).toBeGreaterThan(0);

  await page.locator(`.react-flow__edge[aria-label^="Link ${key.replace('|', ' – ')}"]`).click();
  await page.getByRole('button', { name: 'Cut link', exact: true }).click();
  await expect(page.getByRole('heading', { name: `Link ${key.replace('|', ' – ')}` })).toBeVisible();
  await expect(page.getByText('This link is cut.')).toBeVisible();
  await page.waitForTimeout(1000); // messages sent before the cut reach their end
  let lost = 0;
  for (let i = 0; i < 20; i++) {
    expect(await delivered.count()).toBe(0);
    lost += await page.locator(`[data-link="${key}"] [data-dropped="true"]`).count();
    await page.waitForTimeout(100);
  }
  expect(lost, 'messages on a cut link are drawn dying').toBeGreaterThan(0);

  await page.getByRole('button', { name: 'Heal link', exact: true }).click();
  await expect.poll(() => delivered.count(), { timeout: 10_000 }).toBeGreaterThan(0);
});

test('seeking back with the Time slider shows the state before the crash', async ({ page }) => {
  await openQuietCluster(page);
  const first = await waitForLeader(page);
  await pause(page);
  const beforeCrashMs = Math.floor(Number((await clock(page)).replace(' s', '')) * 1000);
  await page.locator(`[data-node-id="${first.id}"]`).click();
  await page.getByRole('button', { name: 'Crash' }).click();
  await page.getByRole('button', { name: 'Play' }).click();
  await waitForLeader(page, first.term);
  await pause(page);

  await page.getByRole('slider', { name: 'Time' }).fill(String(beforeCrashMs - 5));
  await expect(page.locator(`[data-node-id="${first.id}"]`)).toHaveAttribute('data-role', 'leader');
  await expect(page.locator(`[data-node-id="${first.id}"]`)).toHaveAccessibleName(`${first.id}, leader, term ${first.term}`);
});

test('a reload finds the run as it was: same moment, same recorded crash', async ({ page }) => {
  await openQuietCluster(page);
  const first = await waitForLeader(page);
  await page.locator(`[data-node-id="${first.id}"]`).click();
  await page.getByRole('button', { name: 'Crash' }).click();
  const second = await waitForLeader(page, first.term);
  await pause(page);
  const shown = await clock(page);

  await page.reload();
  await expect(page.getByLabel('Simulated time')).toHaveText(shown);
  await expect(page.locator(`[data-node-id="${first.id}"]`)).toHaveAttribute('data-role', 'down');
  await expect(page.locator(`[data-node-id="${second.id}"]`)).toHaveAccessibleName(`${second.id}, leader, term ${second.term}`);
  await expect(page.getByRole('button', { name: 'Pause' })).toHaveAttribute('aria-pressed', 'true');
});

test('a link opened with &t= starts paused at that time', async ({ page }) => {
  await page.goto(linkTo({ version: 1, title: 'Paused', seed: 5, topology: { orchestrators: 3, servers: 0 } }, 4000));
  await expect(page.getByLabel('Simulated time')).toHaveText('4.000 s');
  await expect(page.getByRole('button', { name: 'Pause' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('[data-role="leader"]')).toHaveCount(1);
});

test('a broken #s= link says what is wrong and offers the default scenario', async ({ page }) => {
  await page.goto('./#s=this-is-not-a-scenario');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('This link could not be opened');
  await expect(alert).toContainText('damaged');
  await alert.getByRole('button', { name: 'Open the default scenario' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.locator('[data-node-id]').first()).toBeVisible();
  // The default scenario is the course's first lesson: it opens paused, and Play runs it.
  const time = page.getByLabel('Simulated time', { exact: true });
  await expect(time).toHaveText('0.000 s');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(time).not.toHaveText('0.000 s');
});

test('a scenario whose fields are wrong names the field, as plain text', async ({ page }) => {
  await page.goto(linkTo({ version: 1, title: '<img src=x onerror=alert(1)>', topology: { orchestrators: 'three' } }));
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('topology.orchestrators');
  await expect(page.locator('img')).toHaveCount(0);
});

test('Copy link puts the recorded run, clicks included, into a #s= link that replays it', async ({ page, context }) => {
  await openQuietCluster(page);
  const first = await waitForLeader(page);
  await page.locator(`[data-node-id="${first.id}"]`).click();
  await page.getByRole('button', { name: 'Crash' }).click();
  const hash = (await copyLink(page)).replace(/&t=\d+$/, '&t=20000');

  const other = await context.newPage();
  await other.addInitScript(() => localStorage.clear());
  await other.goto(`./${hash}`);
  await expect(other.getByLabel('Simulated time')).toHaveText('20.000 s');
  await expect(other.locator(`[data-node-id="${first.id}"]`)).toHaveAttribute('data-role', 'down');
});

test('keyboard only: select a node with Tab and Enter, crash it with c', async ({ page }) => {
  await openQuietCluster(page);
  const first = await waitForLeader(page);
  const node = page.locator(`[data-node-id="${first.id}"]`);
  await node.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: first.id })).toBeVisible();
  await page.keyboard.press('c');
  await expect(node).toHaveAttribute('data-role', 'down');
});
