// Proves the inspector's live statechart: a selected Raft follower shows its machine's states with follower highlighted; after the leader crashes, the new leader's chart shows leader highlighted, the candidate state it left marked, and the move named with the event that caused it; the chart is reachable by Tab and says all that in its name; with reduced motion the highlight does not animate. Saves screenshots at 1366×768 and 390×844 to SHOTS_DIR (default /tmp/shots-appstruct).
import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { node, openQuietCluster, pause, waitForLeader } from './helpers';

const DIR = process.env.SHOTS_DIR ?? '/tmp/shots-appstruct';
mkdirSync(DIR, { recursive: true });

const chartOf = (page: Page) => page.locator('.inspector figure[data-chart="raft"]');

test('the inspector draws the selected node’s statechart and follows a Raft node from follower to leader', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await openQuietCluster(page);
  const first = await waitForLeader(page);
  const follower = ['orch-1', 'orch-2', 'orch-3'].find((id) => id !== first.id)!;
  await node(page, follower).click();
  const chart = chartOf(page);
  await expect(chart.locator('[data-state]')).toHaveText([/follower/, /precandidate/, /candidate/, /leader/]);
  await expect(chart.locator('[data-state="follower"]')).toHaveAttribute('aria-current', 'true');
  await expect(chart.locator('[aria-current="true"]')).toHaveCount(1);
  const figure = chart.locator('.statechart-body');
  await expect(figure).toHaveAccessibleName(new RegExp(`^${follower}'s raft machine is in follower\\.`));

  // Crash the leader from its own inspector, then follow the election to the new leader.
  await node(page, first.id).click();
  await page.getByRole('button', { name: 'Crash' }).click();
  await expect(page.locator('.inspector .statecharts')).toContainText(`No machine runs while ${first.id} is down.`);
  const next = await waitForLeader(page, first.term);
  await pause(page);
  await node(page, next.id).click();
  await expect(chart.locator('[data-state="leader"]')).toHaveAttribute('aria-current', 'true');
  await expect(chart.locator('[data-state="candidate"]')).toHaveClass(/was-current/);
  await expect(chart.locator('[data-last-move]')).toHaveText(/^candidate → leader on RequestVoteReply from orch-\d at \d+\.\d s\.$/);
  await expect(figure).toHaveAccessibleName(/is in leader\. candidate → leader on RequestVoteReply from orch-\d/);

  // Keyboard: Tab from the inspector's last action button reaches the chart, then its transitions.
  await figure.focus();
  await expect(figure).toBeFocused();
  await page.keyboard.press('Tab');
  const summary = chart.getByText('Transitions', { exact: true });
  await expect(summary).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(chart.locator('.statechart-transitions dt').first()).toHaveText('from leader');
  await expect(chart.locator('.statechart-transitions')).toContainText('on timer if election timer → candidate');

  await chart.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${DIR}/statechart-1366x768.png` });
  await page.setViewportSize({ width: 390, height: 844 });
  await chart.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${DIR}/statechart-390x844.png` });
  // Nothing in the chart sticks out sideways on a phone.
  const overflow = await chart.evaluate((el) => el.scrollWidth - el.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('with reduced motion the statechart’s highlight changes at once', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await openQuietCluster(page);
  await node(page, 'orch-1').click();
  const state = chartOf(page).locator('[data-state="leader"]');
  await expect(state).toBeVisible();
  expect(await state.evaluate((el) => getComputedStyle(el).transitionDuration)).toBe('0s');
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  expect(await state.evaluate((el) => getComputedStyle(el).transitionDuration)).not.toBe('0s');
});

test('the leading orchestrator’s failover agent shows its path through the plan after the primary crashes', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto('./#preset=failover-primary-crash&t=14000');
  await expect(node(page, 'db-2')).toHaveAttribute('data-role', 'primary');
  const leading = page.locator('[data-role="leader"]');
  await expect(leading).toHaveCount(1);
  await leading.click();
  const chart = page.locator('.inspector figure[data-chart="orchestrator-agent"]');
  await expect(chart.locator('[data-state="done"]')).toHaveAttribute('aria-current', 'true');
  await expect(chart.locator('[data-state="promoting"]')).toHaveClass(/was-current/);
  await expect(chart.locator('[data-last-move]')).toHaveText(/^promoting → done on HealthReply from db-2 at \d+\.\d s\.$/);
  // Confirm, fence and promote came before, the fence and its answer in one instant.
  await expect(chart.locator('[data-earlier-moves]')).toHaveText(/^Before that: watching → confirming on .+; confirming → fencing on .+; fencing → promoting on fence-result at \d+\.\d s\.$/);
  await expect(chart.locator('.statechart-body')).toHaveAccessibleName(/machine is in done\. promoting → done on HealthReply from db-2 .* Before that: watching → confirming/);
  await chart.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${DIR}/agent-statechart-1366x768.png` });
  await page.setViewportSize({ width: 390, height: 844 });
  await chart.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${DIR}/agent-statechart-390x844.png` });
  expect(await chart.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
});
