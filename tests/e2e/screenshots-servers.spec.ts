// Proves nothing by assertion beyond the page reaching each state; it saves screenshots of the stateless tier (servers, a replacement, who watches whom, Restore…) at 1280 and 390 px to /tmp/shots-servers for a person to look at.
import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { linkTo, node, SERVER_CRASHES, SERVERS } from './helpers';

const DIR = process.env.SHOTS_SERVERS_DIR ?? '/tmp/shots-servers';
mkdirSync(DIR, { recursive: true });

const FULL_STACK = {
  version: 1,
  title: 'Servers, a database with a DR replica, offsite backups',
  seed: 5,
  durationMs: 40_000,
  topology: {
    orchestrators: 3,
    servers: 3,
    database: { standbys: [{ replication: 'sync' }, { replication: 'async', region: 'dr' }] },
    backups: { incrementalEveryMs: 10_000, fullEveryMs: 30_000, offsite: true },
    regions: { primary: 'mumbai', dr: 'singapore' },
  },
  workload: { writesPerSec: 10 },
  events: [
    { atMs: 5000, do: 'crash', node: 'api-2' },
    { atMs: 6000, do: 'crash', node: 'api-3' },
  ],
};

/** The orchestrator leader crashes at 5 s; the new leader replaces it with orch-4 (provisioning 10–15 s). */
const ORCH_REPLACED = { ...SERVERS, title: 'The leader orchestrator dies', durationMs: 40_000, events: [{ atMs: 5000, do: 'crash', node: '@leader' }] };

const WIDTHS = [
  { name: 'wide', width: 1280, height: 800 },
  { name: 'narrow', width: 390, height: 844 },
] as const;

async function shot(page: Page, name: string, fullPage: boolean): Promise<void> {
  await page.waitForTimeout(400); // let the view settle after a refit
  await page.screenshot({ path: `${DIR}/${name}.png`, fullPage });
}

for (const size of WIDTHS) {
  test(`servers and a replacement at ${size.width} px`, async ({ page }) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    const narrow = size.name === 'narrow';
    await page.goto(linkTo(SERVER_CRASHES, 3000));
    await expect(node(page, 'lb')).toHaveAttribute('data-role', 'balancing');
    await shot(page, `${size.name}-1-servers`, narrow);
    await page.goto(linkTo(SERVER_CRASHES, 10_000));
    await expect(node(page, 'api-4')).toHaveAttribute('data-role', 'provisioning');
    await node(page, 'api-4').click();
    await shot(page, `${size.name}-2-provisioning`, narrow);
    await page.getByRole('slider', { name: 'Time' }).fill('20000');
    await expect(node(page, 'api-4')).toHaveAttribute('data-role', 'serving');
    await node(page, 'lb').click();
    await shot(page, `${size.name}-3-replaced-lb-inspector`, narrow);
    await node(page, 'api-2').click();
    await shot(page, `${size.name}-4-replaced-node-inspector`, narrow);
  });

  test(`the full stack with a DR box and two replacements at ${size.width} px`, async ({ page }) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.goto(linkTo(FULL_STACK, 16_000));
    await expect(node(page, 'api-5')).toBeAttached();
    await shot(page, `${size.name}-5-full-stack`, size.name === 'narrow');
  });

  test(`an orchestrator replaced beside the ring at ${size.width} px`, async ({ page }) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.goto(linkTo(ORCH_REPLACED, 12_000));
    await expect(node(page, 'orch-4')).toHaveAttribute('data-role', 'provisioning');
    await shot(page, `${size.name}-8-orchestrator-provisioning`, size.name === 'narrow');
    await page.getByRole('slider', { name: 'Time' }).fill('20000');
    await expect(node(page, 'orch-4')).toHaveAttribute('data-role', 'follower');
    await node(page, 'orch-4').click();
    await shot(page, `${size.name}-9-orchestrator-replaced`, size.name === 'narrow');
  });

  test(`Restore… on a down database at ${size.width} px`, async ({ page }) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.goto('./#preset=backup-restore&t=47000');
    await expect(node(page, 'db-1')).toHaveAttribute('data-role', 'down');
    await node(page, 'db-1').click();
    await page.getByRole('button', { name: 'Restore…' }).click();
    await shot(page, `${size.name}-6-restore-question`, size.name === 'narrow');
    await node(page, 'db-1').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Restore…' }).click();
    await shot(page, `${size.name}-7-restore-menu`, false);
  });
}
