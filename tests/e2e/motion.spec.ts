// Proves that the page honours prefers-reduced-motion: a node's role word pulses (scales) when its role changes, and with reduced motion it changes at once without the pulse; the striped background of a machine being provisioned moves only when motion is welcome.
import { expect, test, type Page } from '@playwright/test';
import { linkTo, node, openQuietCluster, pause, SERVER_CRASHES, waitForLeader } from './helpers';

/**
 * Crashes the leader and records, frame by frame, the scale of the role word that replaces it
 * ("down"): Motion animates it from 1.35 to 1 unless motion is to be reduced. Sampling counts
 * frames, not wall time, so a loaded machine that draws few frames still sees the whole change:
 * it goes on until the word has sat at its size for 10 frames (at most 10 s).
 */
async function scalesOfRoleChange(page: Page): Promise<number[]> {
  await openQuietCluster(page);
  const { id } = await waitForLeader(page);
  await pause(page);
  await node(page, id).click();
  const sampling = page.evaluate(
    (nodeId) =>
      new Promise<number[]>((resolve) => {
        const scales: number[] = [];
        const started = performance.now();
        let settled = 0;
        const sample = () => {
          const badge = document.querySelector<HTMLElement>(`[data-node-id="${nodeId}"][data-role="down"] .sim-node-role`);
          if (badge) {
            const transform = getComputedStyle(badge).transform;
            const scale = transform === 'none' ? 1 : new DOMMatrixReadOnly(transform).a;
            scales.push(scale);
            settled = Math.abs(scale - 1) < 0.001 ? settled + 1 : 0;
          }
          if (settled < 10 && performance.now() - started < 10_000) requestAnimationFrame(sample);
          else resolve(scales);
        };
        requestAnimationFrame(sample);
      }),
    id,
  );
  await page.getByRole('button', { name: 'Crash' }).click();
  return sampling;
}

const between = (scales: readonly number[]) => scales.filter((s) => s > 1.005 && s < 1.345);

test('with motion welcome, a new role word pulses: it appears enlarged and shrinks through values between 1.35 and 1 to its size', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  const scales = await scalesOfRoleChange(page);
  expect(scales[0]).toBeGreaterThan(1.005);
  expect(between(scales).length).toBeGreaterThan(0);
  // It never grows again on the way down.
  for (let i = 1; i < scales.length; i++) expect(scales[i]).toBeLessThanOrEqual(scales[i - 1]! + 1e-6);
  expect(scales.at(-1)).toBeCloseTo(1, 2);
});

test('with reduced motion, a new role word appears at its size at once, without the pulse', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const scales = await scalesOfRoleChange(page);
  expect(scales.length).toBeGreaterThanOrEqual(10);
  expect(between(scales)).toEqual([]);
  expect(scales[0]).toBeCloseTo(1, 2);
  expect(scales.at(-1)).toBeCloseTo(1, 2);
});


test('a page opened at a moment draws every role word at its size: nothing changed in front of the learner, and a long word stays inside its card', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  // Every frame from the page's first, the largest scale of any role word on the graph.
  await page.addInitScript(() => {
    const seen: number[] = [];
    (window as unknown as { roleScales: number[] }).roleScales = seen;
    const sample = () => {
      for (const badge of document.querySelectorAll<HTMLElement>('.sim-node-role')) {
        const transform = getComputedStyle(badge).transform;
        seen.push(transform === 'none' ? 1 : new DOMMatrixReadOnly(transform).a);
      }
      requestAnimationFrame(sample);
    };
    requestAnimationFrame(sample);
  });
  await page.goto(linkTo(SERVER_CRASHES, 10_000));
  await expect(node(page, 'api-4')).toHaveAttribute('data-role', 'provisioning');
  // Twenty more frames, well past where a pulse would have begun.
  await page.evaluate(() => new Promise<void>((done) => {
    let left = 20;
    const tick = () => (--left > 0 ? requestAnimationFrame(tick) : done());
    requestAnimationFrame(tick);
  }));
  const scales = await page.evaluate(() => (window as unknown as { roleScales: number[] }).roleScales);
  expect(scales.length).toBeGreaterThan(0);
  expect(Math.max(...scales)).toBeCloseTo(1, 3);
});


for (const reducedMotion of ['no-preference', 'reduce'] as const) {
  test(`a machine being provisioned ${reducedMotion === 'reduce' ? 'keeps its stripes still with reduced motion' : 'moves its stripes when motion is welcome'}`, async ({ page }) => {
    await page.emulateMedia({ reducedMotion });
    await page.goto(linkTo(SERVER_CRASHES, 10_000));
    await expect(node(page, 'api-4')).toHaveAttribute('data-role', 'provisioning');
    const animation = await node(page, 'api-4').evaluate((el) => getComputedStyle(el).animationName);
    expect(animation).toBe(reducedMotion === 'reduce' ? 'none' : 'provisioning-stripes');
  });
}

test('a quick click on Crash while the previous node’s card slides out breaks the node just selected, never the one before', async ({ page }) => {
  await openQuietCluster(page);
  const { id: leaderId } = await waitForLeader(page);
  await pause(page);
  const follower = ['orch-1', 'orch-2', 'orch-3'].find((id) => id !== leaderId)!;
  await node(page, follower).click();
  const crash = page.getByRole('button', { name: 'Crash' });
  await expect(page.locator('.inspector')).toContainText(follower);
  const box = (await crash.boundingBox())!;
  // Select the leader, then click at once where the follower's Crash button still fades out.
  await node(page, leaderId).click();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await crash.click();
  await expect(node(page, leaderId)).toHaveAttribute('data-role', 'down');
  // Commands reach the simulation in order: had the first click crashed the follower, it would be down by now.
  await expect(node(page, follower)).not.toHaveAttribute('data-role', 'down');
});
