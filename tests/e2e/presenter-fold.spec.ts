// Proves presenter mode keeps what a class watches on a 1920×1080 projector: at the combined
// setup's busiest moment (a long lesson step, the failover steps, ten meters), every meter, the
// latest event, Speed and Time are on the screen and not covered, scrolled or clipped away.
import { expect, test, type Locator } from '@playwright/test';

/** Whether the middle of `locator` is inside the window and is what is drawn there (not something over it, not scrolled away). */
async function onScreen(locator: Locator): Promise<string> {
  return locator.evaluate((element) => {
    const r = element.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return 'not drawn';
    if (r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth) return `outside the window (${Math.round(r.top)}–${Math.round(r.bottom)} of ${innerHeight})`;
    const top = document.elementFromPoint(r.left + r.width / 2, r.top + Math.min(r.height / 2, 12));
    return top && (element === top || element.contains(top)) ? 'visible' : `covered by ${top?.className ?? 'nothing'}`;
  });
}

test('presenter mode at 1920×1080: every meter, the latest event, Speed and Time on screen at the combined setup’s failover', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto('./#preset=combined-setup&t=38500');
  await expect(page.locator('[data-node-id="db-2"]')).toHaveAttribute('data-role', 'primary');
  await page.keyboard.press('f');
  await expect(page.locator('.app.presenter')).toBeVisible();
  await expect(page.getByRole('region', { name: /^Step 6 of / })).toBeVisible();
  await expect(page.locator('.presenter .announcer')).not.toBeEmpty();
  const meters = page.locator('.presenter .meter');
  expect(await meters.count()).toBeGreaterThanOrEqual(9);
  const parts: [string, Locator][] = [
    ...(await meters.all()).map((meter, i): [string, Locator] => [`meter ${i + 1}`, meter]),
    ['latest event', page.locator('.presenter .announcer')],
    ['Speed', page.getByRole('slider', { name: 'Speed' })],
    ['Time', page.getByRole('slider', { name: 'Time' })],
  ];
  for (const [name, part] of parts) await expect.poll(() => onScreen(part), name).toBe('visible');
});
