// Proves a challenge works on the page as in `npm run sim --grade`: the goal and what may be changed
// are shown; "Check my run" judges the whole run and says which checks fail and why; the intended
// fix (quorum back on) passes.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { linkTo } from './helpers';

const challenge = JSON.parse(readFileSync(new URL('../../public/scenarios/challenge-single-writer.json', import.meta.url), 'utf8')) as Record<string, unknown>;

test('a challenge fails as shipped, says why, and passes once quorum is back on', async ({ page }) => {
  await page.goto('/#preset=challenge-single-writer');
  const panel = page.getByRole('region', { name: 'Challenge' });
  await expect(panel).toContainText('Keep a single writer through the partition');
  await expect(panel).toContainText('You may change: settings');
  await panel.getByRole('button', { name: 'Check my run' }).click();
  await expect(panel).toContainText('✗ Not yet');
  await expect(panel.getByRole('listitem').filter({ hasText: 'single-writer broke' })).toContainText('db-1 and db-2 both accepted writes');
  await expect(panel.getByRole('listitem').filter({ hasText: 'failovers.count is 1' })).toBeVisible();

  await page.goto(linkTo({ ...challenge, settings: { fencing: false, quorum: true } }));
  await page.reload();
  const fixed = page.getByRole('region', { name: 'Challenge' });
  await fixed.getByRole('button', { name: 'Check my run' }).click();
  await expect(fixed).toContainText('✓ Passed');
  await expect(fixed.getByRole('listitem').filter({ hasText: 'single-writer held' })).toBeVisible();
});
