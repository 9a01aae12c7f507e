// Proves an embedded lesson reaches its first fault within 10 s of the reader's click, judged by
// simulated time and the embed's speed rather than a stopwatch: the embed plays at a faster
// default speed than the playground, "Skip to the fault" lands just before the first scripted
// event and plays, and the distance left divided by the speed (the slowest the clock can run;
// hurrying only goes faster) is at most 10 s; then the fault is seen to happen.
import { expect, test } from '@playwright/test';

for (const preset of ['failover-split-brain', 'raft-basics', 'backup-restore']) {
  test(`${preset}: Skip to the fault plays from just before it, at most 10 s away at the embed's speed`, async ({ page }) => {
    await page.setViewportSize({ width: 640, height: 900 });
    await page.goto(`./?embed=1#preset=${preset}`);
    const skip = page.locator('button.embed-skip');
    await expect(skip).toBeVisible();
    const faultAtMs = Number(await skip.getAttribute('data-fault-at'));
    expect(faultAtMs).toBeGreaterThan(0);
    const speed = Number((await page.getByRole('slider', { name: 'Speed' }).getAttribute('aria-valuetext'))!.replace('×', ''));
    expect(speed).toBeGreaterThan(0.02);

    // The distance left after the skip, at the slowest the clock can run: at most 10 s.
    const landsAtMs = Number(await skip.getAttribute('data-lands-at'));
    expect(landsAtMs).toBeLessThan(faultAtMs);
    expect((faultAtMs - landsAtMs) / speed).toBeLessThanOrEqual(10_000);

    // Opened paused at 0; the click jumps there and plays: the first moment shown is at or past the landing.
    await expect(page.getByLabel('Simulated time')).toHaveText('0.000 s');
    await skip.click();
    await expect(page.getByRole('button', { name: 'Play' })).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(async () => Number.parseFloat((await page.getByLabel('Simulated time').textContent())!) * 1000).toBeGreaterThanOrEqual(landsAtMs);
    await expect(skip).toHaveCount(0);

    // And the fault does come: the clock passes it.
    await expect.poll(async () => Number.parseFloat((await page.getByLabel('Simulated time').textContent())!) * 1000, { timeout: 30_000 }).toBeGreaterThan(faultAtMs);
  });
}
