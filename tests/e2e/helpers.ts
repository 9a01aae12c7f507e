/** Small steps a person takes on the playground page, shared by the end-to-end specs. */
import { expect, type Locator, type Page } from '@playwright/test';
import LZString from 'lz-string';

/** Three Raft orchestrators and nothing scripted: whatever happens, the test's clicks did it. */
export const QUIET_CLUSTER = {
  version: 1,
  title: 'Three orchestrators, no script',
  seed: 3,
  durationMs: 60_000,
  topology: { orchestrators: 3, election: 'raft', servers: 0, database: null },
  events: [],
};

/** Three orchestrators, a load balancer and three API servers under ten requests a second; nothing scripted. */
export const SERVERS = {
  version: 1,
  title: 'Three API servers, no script',
  seed: 5,
  durationMs: 60_000,
  topology: { orchestrators: 3, servers: 3, database: null },
  workload: { requestsPerSec: 10 },
  events: [],
};

/** The same with api-2 crashing at 5 s by script: its replacement api-4 is provisioning from about 7.5 s to 12.5 s. */
export const SERVER_CRASHES = { ...SERVERS, title: 'api-2 crashes at 5 s', durationMs: 30_000, events: [{ atMs: 5000, do: 'crash', node: 'api-2' }] };

export function linkTo(scenario: object, atMs?: number): string {
  return `./#s=${LZString.compressToEncodedURIComponent(JSON.stringify(scenario))}${atMs === undefined ? '' : `&t=${atMs}`}`;
}

export async function openQuietCluster(page: Page): Promise<void> {
  await page.goto(linkTo(QUIET_CLUSTER));
  await expect(page.locator('[data-node-id]')).toHaveCount(3);
}

export function leader(page: Page): Locator {
  return page.locator('[data-role="leader"]');
}

/** Waits for exactly one leader and returns its id and term, read from its accessible name. */
export async function waitForLeader(page: Page, aboveTerm = 0): Promise<{ id: string; term: number }> {
  let found: { id: string; term: number } | null = null;
  await expect
    .poll(
      async () => {
        const leaders = leader(page);
        if ((await leaders.count()) !== 1) return 0;
        const name = (await leaders.getAttribute('aria-label')) ?? '';
        const term = Number(/term (\d+)/.exec(name)?.[1] ?? 0);
        found = { id: (await leaders.getAttribute('data-node-id')) ?? '', term };
        return term;
      },
      { timeout: 20_000 },
    )
    .toBeGreaterThan(aboveTerm);
  return found!;
}

export async function clock(page: Page): Promise<string> {
  return (await page.getByLabel('Simulated time').textContent()) ?? '';
}

export async function pause(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Pause' })).toHaveAttribute('aria-pressed', 'true');
}

/** Five Raft orchestrators in a data centre called mumbai, nothing scripted. */
export const FIVE_NODES = {
  version: 1,
  title: 'Five orchestrators, no script',
  seed: 21,
  durationMs: 60_000,
  topology: { orchestrators: 5, election: 'raft', servers: 0, database: null, regions: { primary: 'mumbai', dr: 'singapore' } },
  events: [],
};

export function node(page: Page, id: string): Locator {
  return page.locator(`[data-node-id="${id}"]`);
}

/** Waits until some node on `side` of the partition leads in a term above `aboveTerm`; returns its id. */
export async function waitForLeaderOnSide(page: Page, side: string, aboveTerm: number): Promise<string> {
  const leaders = page.locator(`[data-side="${side}"][data-role="leader"]`);
  let id = '';
  await expect
    .poll(
      async () => {
        for (const handle of await leaders.all()) {
          const term = Number(/term (\d+)/.exec((await handle.getAttribute('aria-label')) ?? '')?.[1] ?? 0);
          if (term > aboveTerm) {
            id = (await handle.getAttribute('data-node-id')) ?? '';
            return true;
          }
        }
        return false;
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  return id;
}

/** Opens the header's Tools menu (Propose, scenario files, the editor, downloads, Compare strategies), if it is closed. */
export async function openTools(page: Page): Promise<void> {
  const button = page.getByRole('button', { name: 'Tools' });
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  await expect(page.getByRole('group', { name: 'More tools' })).toBeVisible();
}

/**
 * Clicks Copy link and waits for the page to answer (the note beside the button), then returns the
 * address bar's `#s=…&t=…` hash. Waiting on the note matters: a page opened from a `#s=` link
 * already has one in its address bar, so seeing `#s=` proves nothing about the new link.
 */
export async function copyLink(page: Page): Promise<string> {
  const note = page.locator('.copy-link [role="status"]');
  await expect(note).toHaveText('');
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(note).toHaveText(/Link copied|address bar now holds the link/);
  const hash = await page.evaluate(() => location.hash);
  expect(hash).toMatch(/^#s=[^&]+&t=\d+$/);
  return hash;
}
