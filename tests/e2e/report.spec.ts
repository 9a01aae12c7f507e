// Proves the browser worker and Node give byte-identical reports and traces: the page's Download report and Download trace for a run with the user's own clicks equal what `npm run sim --json --trace` gives for that run's link.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { copyLink, openQuietCluster, pause, waitForLeader, openTools } from './helpers';

const root = new URL('../../', import.meta.url).pathname;

test('Download report equals the CLI report for the same link', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openQuietCluster(page);
  const first = await waitForLeader(page);
  await pause(page);
  await page.locator(`[data-node-id="${first.id}"]`).click();
  await page.getByRole('button', { name: 'Crash' }).click();
  await openTools(page);
  await page.getByRole('button', { name: 'Propose' }).click();

  await copyLink(page);
  const link = page.url();

  const download = page.waitForEvent('download');
  await openTools(page);
  await page.getByRole('button', { name: 'Download report' }).click();
  const fromPage = readFileSync(await (await download).path(), 'utf8');

  const traceDownload = page.waitForEvent('download');
  await openTools(page);
  await page.getByRole('button', { name: 'Download trace' }).click();
  const traceFromPage = readFileSync(await (await traceDownload).path(), 'utf8');

  const traceFile = join(mkdtempSync(join(tmpdir(), 'ha-e2e-')), 'trace.ndjson');
  const cli = spawnSync(join(root, 'node_modules/.bin/tsx'), ['src/cli/sim.ts', link, '--json', '--trace', traceFile], { cwd: root, encoding: 'utf8' });
  expect(cli.status, cli.stderr).toBe(0);
  const report = JSON.parse(fromPage);
  expect(report.leaders.length).toBeGreaterThanOrEqual(2); // the user's crash is in the run
  expect(fromPage).toBe(cli.stdout);
  expect(traceFromPage.length).toBeGreaterThan(0);
  expect(traceFromPage).toBe(readFileSync(traceFile, 'utf8'));
});
