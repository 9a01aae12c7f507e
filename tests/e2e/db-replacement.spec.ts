// Proves that a learner sees the database tier heal itself on the page: a standby whose disk dies is shown down with "disk lost", a new node db-3 appears rebuilding (copying a base backup from the primary, said in the latest event), and later serves as a standby in its place, while the primary named in the meters keeps taking writes.
import { expect, test } from '@playwright/test';
import { linkTo, node } from './helpers';

/** Three Raft orchestrators, a primary and one synchronous standby; db-2's disk dies at 5 s. */
const LOST_STANDBY = {
  version: 1,
  title: 'A standby loses its disk',
  seed: 4,
  durationMs: 60_000,
  topology: { orchestrators: 3, election: 'raft', servers: 0, database: { standbys: [{ replication: 'sync' }] } },
  workload: { writesPerSec: 20 },
  events: [{ atMs: 5000, do: 'wipe-disk', node: 'db-2' }],
};

test('a standby whose disk dies is replaced by db-3: rebuilding from the primary, then a standby in its place', async ({ page }) => {
  await page.goto(linkTo(LOST_STANDBY, 14_000));
  await expect(page.getByLabel('Simulated time', { exact: true })).toHaveText('14.000 s');
  await expect(node(page, 'db-2')).toHaveAttribute('data-role', 'down');
  await expect(node(page, 'db-2')).toContainText('disk lost');
  await expect(node(page, 'db-3')).toHaveAttribute('data-role', 'rebuilding');
  await expect(node(page, 'db-3')).toContainText('copying a base backup');
  await expect(node(page, 'db-1')).toHaveAttribute('data-role', 'primary');

  await page.goto(linkTo(LOST_STANDBY, 40_000));
  await expect(page.getByLabel('Simulated time', { exact: true })).toHaveText('40.000 s');
  await expect(node(page, 'db-3')).toHaveAttribute('data-role', 'standby');
  await expect(node(page, 'db-2')).toHaveAttribute('data-role', 'down');
  await expect(node(page, 'db-1')).toContainText('takes writes');
  await expect(page.getByText('db-3 has caught up with the primary and is a standby in place of db-2').first()).toBeVisible();
});
