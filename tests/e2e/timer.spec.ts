// Proves the election timers and message glyphs a learner watches: opened paused at a moment, each
// Raft follower shows a draining election-timer ring and the leader none; stepping on drains it
// and a heartbeat refills it, all read from simulated time (the same moment shows the same ring);
// a message on a 1–5 ms link is seen on its way after Step, and the legend says glyphs are drawn slower.
import { expect, test, type Page } from '@playwright/test';
import { QUIET_CLUSTER, linkTo } from './helpers';

const ring = (page: Page, id: string) => page.locator(`[data-node-id="${id}"] svg.countdown`);

async function fraction(page: Page, id: string): Promise<number> {
  return Number(await ring(page, id).getAttribute('data-countdown'));
}

test('followers show a draining election timer that a heartbeat refills; the leader shows none', async ({ page }) => {
  await page.goto(linkTo(QUIET_CLUSTER, 4000));
  await expect(page.getByLabel('Simulated time')).toHaveText('4.000 s');
  const leaderId = (await page.locator('[data-role="leader"]').getAttribute('data-node-id'))!;
  await expect(page.locator('[data-role="leader"] svg.countdown')).toHaveCount(0);
  const followers = page.locator('[data-role="follower"]');
  await expect(followers).toHaveCount(2);
  const id = (await followers.first().getAttribute('data-node-id'))!;
  expect(id).not.toBe(leaderId);
  await expect(ring(page, id)).toHaveCount(1);
  const first = await fraction(page, id);
  expect(first).toBeGreaterThan(0);
  expect(first).toBeLessThanOrEqual(1);
  const armedAt = await ring(page, id).getAttribute('data-countdown-at');

  const slider = page.getByRole('slider', { name: 'Time' });
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByLabel('Simulated time')).toHaveText('4.100 s');
  // A heartbeat goes out every 100 ms: by now one re-armed the timer with a new random deadline, and it is nearly full again.
  await expect.poll(async () => ring(page, id).getAttribute('data-countdown-at')).not.toBe(armedAt);
  await expect.poll(() => fraction(page, id)).toBeGreaterThan(0.9);
  const refilled = await fraction(page, id);

  // The same moment draws the same ring: seek away and back.
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByLabel('Simulated time')).toHaveText('4.000 s');
  await expect.poll(() => fraction(page, id)).toBe(first);
  await page.keyboard.press('ArrowRight');
  await expect(page.getByLabel('Simulated time')).toHaveText('4.100 s');
  await expect.poll(() => fraction(page, id)).toBe(refilled);
});

test('once the leader is gone the timers drain to nothing and a follower stands as candidate', async ({ page }) => {
  const crash = { ...QUIET_CLUSTER, events: [{ atMs: 3000, do: 'crash', node: 'orch-1' }, { atMs: 3000, do: 'crash', node: 'orch-2' }, { atMs: 3000, do: 'crash', node: 'orch-3' }] };
  // Every node down but one restarted: it hears from nobody, so its timer runs out again and again.
  crash.events.push({ atMs: 3500, do: 'restart', node: 'orch-2' } as never);
  await page.goto(linkTo(crash, 3600));
  await expect(page.getByLabel('Simulated time')).toHaveText('3.600 s');
  await expect(ring(page, 'orch-2')).toHaveCount(1);
  const at = Number(await ring(page, 'orch-2').getAttribute('data-countdown-at'));
  // Just before its deadline the ring is nearly empty; at it, the node campaigns.
  await page.goto(linkTo(crash, at - 10));
  await expect(page.getByLabel('Simulated time')).toHaveText(`${((at - 10) / 1000).toFixed(3)} s`);
  await expect.poll(() => fraction(page, 'orch-2')).toBeLessThan(0.02);
  await page.goto(linkTo(crash, at));
  await expect(page.locator('[data-node-id="orch-2"]')).toHaveAttribute('data-role', 'candidate');
});

test('Step shows a heartbeat on its way along a 1–5 ms link, and the legend says glyphs are drawn slower than real', async ({ page }) => {
  await page.goto(linkTo(QUIET_CLUSTER, 4000));
  await expect(page.getByLabel('Simulated time')).toHaveText('4.000 s');
  const step = page.getByRole('button', { name: 'Step' });
  await expect
    .poll(
      async () => {
        await step.click();
        return page.locator('g.msg').count();
      },
      { timeout: 20_000 },
    )
    .toBeGreaterThan(0);
  await page.getByText('Legend').click();
  await expect(page.locator('.legend')).toContainText('drawn slower than real');
});
