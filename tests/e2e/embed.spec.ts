// Proves the embed contract from a blogger's page, the bundled public/embed-sample.html: three embeds get ready and size their iframes from their resize messages; the page drives one through postMessage (play, pause, seek, load) and hears its notable events; junk messages change nothing and break nothing; `Open in playground` opens the same run, clicks and moment included; and the embed keeps the playground's accessible controls down to a phone's width.
import { expect, test, type FrameLocator, type Page } from '@playwright/test';
import LZString from 'lz-string';

interface Heard {
  /** Which iframe of the page sent it (document order), or -1. */
  readonly frame: number;
  readonly data: { readonly source: string; readonly type: string; readonly [key: string]: unknown };
}

const SOURCE = 'ha-playground';

/** Records, in the article page only, every message an embed sends, with the index of its iframe. */
async function listenToEmbeds(page: Page): Promise<void> {
  await page.addInitScript((source) => {
    if (window.top !== window) return;
    const heard: unknown[] = [];
    (window as unknown as { heard: unknown[] }).heard = heard;
    addEventListener('message', (event) => {
      const data = event.data as { source?: unknown } | null;
      if (!data || data.source !== source) return;
      const frame = [...document.querySelectorAll('iframe')].findIndex((f) => f.contentWindow === event.source);
      heard.push({ frame, data });
    });
  }, SOURCE);
}

async function heard(page: Page): Promise<Heard[]> {
  return page.evaluate(() => (window as unknown as { heard: Heard[] }).heard);
}

async function openSample(page: Page): Promise<void> {
  await listenToEmbeds(page);
  await page.goto('./embed-sample.html');
}

function raftEmbed(page: Page): FrameLocator {
  return page.frameLocator('#embed-raft');
}

/** Posts anything at all to the first embed, as any page on the web could. */
async function postToRaft(page: Page, data: unknown): Promise<void> {
  await page.evaluate((message) => document.querySelector<HTMLIFrameElement>('#embed-raft')!.contentWindow!.postMessage(message, '*'), data);
}

function seconds(clock: string | null): number {
  return Number.parseFloat(clock ?? 'NaN');
}

async function shownSeconds(embed: FrameLocator): Promise<number> {
  return seconds(await embed.getByLabel('Simulated time').textContent());
}

/** The page's own buttons are enabled once the first embed said `ready`. */
async function raftReady(page: Page): Promise<FrameLocator> {
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();
  const embed = raftEmbed(page);
  await expect(embed.locator('[data-node-id]')).toHaveCount(3);
  return embed;
}

test('three embeds get ready and their iframes take the height each one asks for', async ({ page }) => {
  await openSample(page);
  const frames = page.locator('iframe');
  await expect(frames).toHaveCount(3);
  for (let i = 0; i < 3; i++) {
    await frames.nth(i).scrollIntoViewIfNeeded(); // lazy iframes load as the reader nears them
    await expect.poll(async () => (await heard(page)).some((m) => m.frame === i && m.data.type === 'ready'), { timeout: 20_000 }).toBe(true);
    await expect(page.frameLocator(`iframe >> nth=${i}`).locator('[data-node-id]').first()).toBeVisible();
  }
  for (let i = 0; i < 3; i++) {
    const resizes = (await heard(page)).filter((m) => m.frame === i && m.data.type === 'resize');
    expect(resizes.length).toBeGreaterThan(0);
    const asked = resizes.at(-1)!.data.height as number;
    expect(asked).toBeGreaterThan(400); // the graph, the playback bar and the log, not a 150 px default
    const box = await frames.nth(i).boundingBox();
    expect(Math.abs(box!.height - asked)).toBeLessThanOrEqual(1);
    // The content fits exactly: no scroll bar inside the post.
    const inner = await page.frameLocator(`iframe >> nth=${i}`).locator('.embed').evaluate((e) => Math.ceil(e.getBoundingClientRect().height));
    expect(Math.abs(inner - asked)).toBeLessThanOrEqual(1);
  }
});

test('the page drives an embed: play moves time, pause holds it, seek shows that time, load shows the new scenario', async ({ page }) => {
  await openSample(page);
  const embed = await raftReady(page);
  expect(await shownSeconds(embed)).toBe(0); // an embed waits for its reader

  await page.getByRole('button', { name: 'Play' }).click();
  await expect(embed.getByRole('button', { name: 'Play' })).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => shownSeconds(embed)).toBeGreaterThan(0.5);
  // Its notable events reach the page in the log's words, with their kind.
  await expect(page.locator('#events li').filter({ hasText: /elected leader, term \d+/ })).not.toHaveCount(0);
  const leaderEvent = (await heard(page)).find((m) => m.frame === 0 && m.data.type === 'event' && m.data.kind === 'leader');
  expect(leaderEvent?.data).toMatchObject({ source: SOURCE, type: 'event', kind: 'leader', text: expect.stringMatching(/^orch-\d elected leader, term \d+$/) });
  expect(typeof leaderEvent?.data.atMs).toBe('number');

  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(embed.getByRole('button', { name: 'Pause' })).toHaveAttribute('aria-pressed', 'true');
  const held = await shownSeconds(embed);
  await page.waitForTimeout(600);
  expect(await shownSeconds(embed)).toBe(held);

  await page.getByRole('button', { name: 'Go to 8 s' }).click();
  await expect(embed.getByLabel('Simulated time')).toHaveText('8.000 s');
  await expect(embed.getByRole('slider', { name: 'Time' })).toHaveValue('8000');

  await page.getByRole('button', { name: 'Load five orchestrators' }).click();
  await expect(embed.getByRole('heading', { level: 1 })).toHaveText('Five orchestrators: the leader crashes at 3 s');
  await expect(embed.locator('[data-node-id]')).toHaveCount(5);
  await expect(embed.getByLabel('Simulated time')).toHaveText('0.000 s');
});

test('junk messages are ignored: wrong source, bad scenarios, a seek to a string; titles stay plain text', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await openSample(page);
  const embed = await raftReady(page);
  const title = 'Raft basics: the leader crashes and comes back';
  await expect(embed.getByRole('heading', { level: 1 })).toHaveText(title);

  const junk: unknown[] = [
    null,
    42,
    'play',
    [SOURCE, 'play'],
    { type: 'play' },
    { source: 'someone-else', type: 'play' },
    { source: SOURCE },
    { source: SOURCE, type: 'explode' },
    { source: SOURCE, type: 'seek', atMs: '5000' },
    { source: SOURCE, type: 'seek', atMs: -1 },
    { source: SOURCE, type: 'seek' },
    { source: SOURCE, type: 'load' },
    { source: SOURCE, type: 'load', scenario: '<img src=x onerror="document.title=1">' },
    { source: SOURCE, type: 'load', scenario: [1, 2, 3] },
    { source: SOURCE, type: 'load', scenario: { version: 1, title: 'Three, in words', topology: { orchestrators: 'three' } } },
    { source: SOURCE, type: 'load', scenario: { version: 1, title: 'Before time began', events: [{ atMs: -5, do: 'crash', node: 'orch-1' }] } },
    { source: SOURCE, type: 'load', scenario: { version: 99, title: 'From the future', topology: { orchestrators: 3 } } },
  ];
  for (const message of junk) await postToRaft(page, message);
  // A scenario that refers to itself cannot be a file; it is built in the page, where it can exist.
  await page.evaluate((source) => {
    const scenario: Record<string, unknown> = { version: 1, title: 'Cyclic' };
    scenario.self = scenario;
    document.querySelector<HTMLIFrameElement>('#embed-raft')!.contentWindow!.postMessage({ source, type: 'load', scenario }, '*');
  }, SOURCE);
  // None of them played or moved the run (a seek would also pause it, so this is looked at first).
  await page.waitForTimeout(500);
  expect(await shownSeconds(embed)).toBe(0);
  await expect(embed.getByRole('button', { name: 'Pause' })).toHaveAttribute('aria-pressed', 'true');
  // Messages are handled in order: once this seek shows, every message above has been handled.
  await postToRaft(page, { source: SOURCE, type: 'seek', atMs: 3000 });
  await expect(embed.getByLabel('Simulated time')).toHaveText('3.000 s');

  await expect(embed.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(embed.getByRole('button', { name: 'Pause' })).toHaveAttribute('aria-pressed', 'true');
  await expect(embed.locator('[data-node-id]')).toHaveCount(3);
  await expect(embed.getByRole('alert')).toHaveCount(0);
  // The invalid scenarios reached the worker's validation, which refused them and told the page why.
  await expect
    .poll(async () => (await heard(page)).filter((m) => m.frame === 0 && m.data.type === 'load-error').length)
    .toBe(3);
  expect(errors).toEqual([]);

  // A valid scenario whose title looks like markup: shown as the characters it is.
  const markup = '<b>bold?</b> <img src=x onerror="document.title=1">';
  await postToRaft(page, { source: SOURCE, type: 'load', scenario: { version: 1, title: markup, seed: 1, durationMs: 10_000, topology: { orchestrators: 3 } } });
  const heading = embed.getByRole('heading', { level: 1 });
  await expect(heading).toHaveText(markup);
  await expect(heading.locator('b, img')).toHaveCount(0);
  expect(await page.title()).not.toBe('1');
});

test('an embed neither reopens nor overwrites the reader’s own playground run, kept in the same browser', async ({ page }) => {
  await openSample(page);
  const key = 'ha-playground:run:v1';
  // The reader's autosaved run, opened from the same preset link the first embed uses.
  const own = JSON.stringify({ hash: '#preset=raft-basics', atMs: 5000, scenario: { version: 1, title: 'My own run', seed: 9, durationMs: 20_000, topology: { orchestrators: 5 } } });
  await page.evaluate(([k, v]) => localStorage.setItem(k!, v!), [key, own]);
  await page.reload();
  const embed = await raftReady(page);
  await expect(embed.getByRole('heading', { level: 1 })).toHaveText('Raft basics: the leader crashes and comes back');
  await expect(embed.getByLabel('Simulated time')).toHaveText('0.000 s');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => shownSeconds(embed)).toBeGreaterThan(1.5); // the playground autosaves every second while it plays
  await embed.locator('[data-node-id="orch-1"]').click();
  await embed.getByRole('button', { name: 'Crash' }).click();
  await page.getByRole('button', { name: 'Pause' }).click();
  expect(await page.evaluate((k) => localStorage.getItem(k), key)).toBe(own);
});

test('Open in playground opens the same run in the full page: the preset, then the recorded click at the moment shown', async ({ page, context }) => {
  // Two pages (the article with three embeds, then the full playground) on a loaded machine: more time, the same checks.
  test.slow();
  await openSample(page);
  const embed = await raftReady(page);
  const link = embed.getByRole('link', { name: 'Open in playground' });
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', /noopener/);
  const untouched = new URL((await link.getAttribute('href'))!);
  expect(untouched.searchParams.has('embed')).toBe(false);
  expect(untouched.hash).toBe('#preset=raft-basics');

  // The reader plays, crashes a follower, and pauses: the link now carries the run itself.
  await embed.getByRole('button', { name: 'Play' }).click();
  const follower = embed.locator('[data-role="follower"]').first();
  await expect(follower).toBeVisible({ timeout: 20_000 });
  await embed.getByRole('button', { name: 'Pause' }).click();
  const victim = (await follower.getAttribute('data-node-id'))!;
  await follower.click();
  await embed.getByRole('button', { name: 'Crash' }).click();
  await expect(embed.locator(`[data-node-id="${victim}"]`)).toHaveAttribute('data-role', 'down');
  // Step, then wait until its frame is on screen and the link has caught up with it: a step answers asynchronously.
  const beforeStep = (await embed.getByLabel('Simulated time').textContent())!;
  await embed.getByRole('button', { name: 'Step' }).click();
  await expect(embed.getByLabel('Simulated time')).not.toHaveText(beforeStep);
  const clock = (await embed.getByLabel('Simulated time').textContent())!;
  const linkHash = async () => new URL((await link.getAttribute('href'))!).hash;
  await expect.poll(async () => /&t=(\d+)$/.exec(await linkHash())?.[1]).toBe(String(Math.floor(seconds(clock) * 1000)));

  const hash = /^#s=([^&]+)&t=(\d+)$/.exec(await linkHash());
  expect(hash).not.toBeNull();
  expect(Number(hash![2])).toBe(Math.floor(seconds(clock) * 1000));
  const scenario = JSON.parse(LZString.decompressFromEncodedURIComponent(hash![1]!)) as { title: string; events: { do: string; node?: string }[] };
  expect(scenario.title).toBe('Raft basics: the leader crashes and comes back');
  expect(scenario.events).toContainEqual(expect.objectContaining({ do: 'crash', node: victim }));

  const [full] = await Promise.all([context.waitForEvent('page'), link.click()]);
  await full.waitForLoadState();
  expect(new URL(full.url()).searchParams.has('embed')).toBe(false);
  await expect(full.getByRole('heading', { level: 1 })).toContainText('Raft basics: the leader crashes and comes back');
  await expect(full.getByLabel('Simulated time')).toHaveText(clock);
  await expect(full.locator(`[data-node-id="${victim}"]`)).toHaveAttribute('data-role', 'down');
  await expect(full.getByRole('button', { name: 'Pause' })).toHaveAttribute('aria-pressed', 'true');
});

test('at a phone’s width the embed keeps its named controls, nodes and live region, and nothing sticks out sideways', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await openSample(page);
  const embed = await raftReady(page);
  for (const name of ['Play', 'Pause', 'Step']) await expect(embed.getByRole('button', { name, exact: true })).toBeVisible();
  await expect(embed.getByRole('slider', { name: 'Time' })).toBeVisible();
  await expect(embed.getByRole('slider', { name: 'Speed' })).toBeVisible();
  await expect(embed.getByRole('link', { name: 'Open in playground' })).toBeVisible();
  await expect(embed.locator('[role="status"][aria-live="polite"]')).toHaveCount(1);
  for (const node of await embed.locator('[data-node-id]').all()) {
    await expect(node).toBeVisible();
    await expect(node).toHaveAttribute('aria-label', /^orch-\d, (follower|leader|candidate|down)/);
  }
  const overflow = await embed.locator('body').evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  // No toolbar in an article: none of the playground's page-wide tools.
  for (const name of ['Copy link', 'Download report', 'Download trace', 'Heal all', 'Propose']) await expect(embed.getByRole('button', { name })).toHaveCount(0);
  await expect(embed.getByRole('button', { name: /Compare/ })).toHaveCount(0);
});

test('the embed fetches its context menu and selected-node panel when a reader first needs them, and shows each only while needed', async ({ page }) => {
  await page.goto('./?embed=1#preset=raft-basics');
  const orch1 = page.locator('[data-node-id="orch-1"]');
  await expect(orch1).toBeVisible();
  await expect(page.getByRole('menu')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Crash', exact: true })).toHaveCount(0);

  await orch1.click({ button: 'right' });
  const menu = page.getByRole('menu', { name: 'Actions for orch-1' });
  await expect(menu.getByRole('menuitem', { name: 'Crash', exact: true })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menu')).toHaveCount(0);

  await orch1.click();
  await page.getByRole('button', { name: 'Crash', exact: true }).click();
  await expect(orch1).toHaveAttribute('data-role', 'down');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: 'Crash', exact: true })).toHaveCount(0);
});
