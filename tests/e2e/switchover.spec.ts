// Proves that a learner can hand the primary role over safely from the page: Switchover sits next to Promote where orchestrators run failovers, and moves the primary to the chosen standby with one writer at a time and no write lost.
import { expect, test } from '@playwright/test';
import { node, pause } from './helpers';

test('Switchover hands the primary role to a standby: one writer at a time, nothing lost', async ({ page }) => {
  // The failover lesson, paused at 5 s: the orchestrators lead, db-1 is primary, and the crash comes only at 10 s.
  await page.goto('./#preset=failover-primary-crash&t=5000');
  await expect(node(page, 'db-1')).toHaveAttribute('data-role', 'primary');
  await node(page, 'db-2').click();
  const switchover = page.getByRole('button', { name: 'Switchover' });
  await expect(switchover).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Promote' })).toBeEnabled();
  await switchover.click();
  await page.getByRole('slider', { name: 'Speed' }).fill('0');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(node(page, 'db-2')).toHaveAttribute('data-role', 'primary', { timeout: 20_000 });
  await expect(node(page, 'db-1')).toHaveAttribute('data-role', 'standby', { timeout: 20_000 });
  await pause(page);
  await expect(page.getByRole('region', { name: 'Failover steps' })).toContainText('db-1 → db-2');
  await expect(page.locator('[data-meter="lost"]')).not.toHaveClass(/is-warning/);
});
