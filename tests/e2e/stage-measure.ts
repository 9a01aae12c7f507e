/**
 * Measures the stage as a learner sees it: how much of the window the graph gets, how large the
 * node ids are on screen (computed font size × React Flow's zoom), and which nodes are not fully
 * visible: outside the graph's region, or under a bar, the minimap, the legend or any overlay, or over
 * a data centre's switch.
 */
import { expect, type Page } from '@playwright/test';

export interface StageFigures {
  /** The graph region's area over the window's area. */
  readonly share: number;
  /** The smallest node id on screen, in CSS pixels. */
  readonly minIdPx: number;
  /** The smallest message glyph on screen (its larger side), in CSS pixels; Infinity without messages. */
  readonly minGlyphPx: number;
  /** Node ids that are not fully visible, each with what hides it. */
  readonly hidden: readonly string[];
  /** Every node's box on screen, by id. */
  readonly boxes: Readonly<Record<string, { x: number; y: number; width: number; height: number }>>;
}

/** Things drawn over or around the graph that a node must never sit under (or cover: a data centre's Black out switch). */
const COVERS = ['.playback', '.top', '.react-flow__minimap', '.graph-tools', '.stage-overlay > *', '.embed-top', '.presenter-top', '.presenter-keys', '.region-switch'];

/** Waits until the graph has been fitted to its region for this scenario and window (GraphView marks it). */
export async function waitForFit(page: Page): Promise<void> {
  await expect(page.locator('.react-flow[data-fitted="true"]')).toHaveCount(1);
}

export async function measureStage(page: Page): Promise<StageFigures> {
  await waitForFit(page);
  return page.evaluate((covers) => {
    const area = (r: DOMRect) => Math.max(0, r.width) * Math.max(0, r.height);
    const graph = document.querySelector('.graph .react-flow') ?? document.querySelector('.graph');
    if (!graph) throw new Error('no graph on the page');
    const region = graph.getBoundingClientRect();
    const visible = new DOMRect(0, 0, innerWidth, innerHeight);
    const clip = (r: DOMRect) => {
      const x = Math.max(r.left, visible.left);
      const y = Math.max(r.top, visible.top);
      return new DOMRect(x, y, Math.min(r.right, visible.right) - x, Math.min(r.bottom, visible.bottom) - y);
    };
    const viewport = document.querySelector('.react-flow__viewport');
    const zoom = viewport ? new DOMMatrixReadOnly(getComputedStyle(viewport).transform).a : 1;
    const ids = [...document.querySelectorAll('.sim-node-id')].map((e) => parseFloat(getComputedStyle(e).fontSize) * zoom);
    const glyphs = [...document.querySelectorAll("[data-link] [data-message]")].map((g) => {
      const r = g.getBoundingClientRect();
      return Math.max(r.width, r.height);
    });
    const intersects = (a: DOMRect, b: DOMRect) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
    const inside = (a: DOMRect, b: DOMRect) => a.left >= b.left - 1 && a.top >= b.top - 1 && a.right <= b.right + 1 && a.bottom <= b.bottom + 1;
    const coverRects = covers.flatMap((selector) =>
      [...document.querySelectorAll(selector)].filter((e) => !e.contains(graph) && getComputedStyle(e).visibility !== 'hidden').map((e) => ({ selector, rect: e.getBoundingClientRect() })),
    );
    const hidden: string[] = [];
    const boxes: Record<string, { x: number; y: number; width: number; height: number }> = {};
    for (const node of document.querySelectorAll<HTMLElement>('[data-node-id]')) {
      const id = node.dataset.nodeId!;
      const r = node.getBoundingClientRect();
      boxes[id] = { x: r.x, y: r.y, width: r.width, height: r.height };
      if (!inside(r, region)) hidden.push(`${id}: outside the graph`);
      else if (!inside(r, visible)) hidden.push(`${id}: outside the window`);
      for (const cover of coverRects) if (area(cover.rect) > 0 && intersects(r, cover.rect)) hidden.push(`${id}: under ${cover.selector}`);
    }
    return {
      share: area(clip(region)) / area(visible),
      minIdPx: ids.length ? Math.min(...ids) : 0,
      minGlyphPx: glyphs.length ? Math.min(...glyphs) : Infinity,
      hidden,
      boxes,
    };
  }, COVERS);
}

/**
 * Message glyphs drawn at full strength over a card's text (its id, role and value lines) or over a
 * data-centre box's header (its title, dark note and switch): each as "family over node" or "family
 * over region:dr". A glyph crossing a card or header is drawn faint (data-faint) and is not counted.
 * Also says how many glyphs were on screen, so that a test can make sure it looked at some.
 */
export async function glyphsOverText(page: Page): Promise<{ glyphs: number; over: string[] }> {
  await waitForFit(page);
  return page.evaluate(() => {
    const texts: { id: string; rect: DOMRect }[] = [];
    const owners = [
      ...[...document.querySelectorAll<HTMLElement>('[data-node-id]')].map((e) => ({ id: e.dataset.nodeId!, e })),
      ...[...document.querySelectorAll<HTMLElement>('[data-region] .region-header')].map((e) => ({ id: `region:${e.closest<HTMLElement>('[data-region]')!.dataset.region}`, e })),
    ];
    for (const { id, e } of owners) {
      const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
      for (let text = walker.nextNode(); text; text = walker.nextNode()) {
        if (!text.textContent?.trim() || text.parentElement?.closest('.visually-hidden')) continue;
        const range = document.createRange();
        range.selectNodeContents(text);
        for (const rect of range.getClientRects()) if (rect.width > 2 && rect.height > 2) texts.push({ id, rect });
      }
    }
    const glyphs = [...document.querySelectorAll<SVGGElement>('[data-link] [data-message]')];
    const over: string[] = [];
    for (const glyph of glyphs) {
      if (glyph.dataset.faint === 'true') continue;
      const g = glyph.getBoundingClientRect();
      const hit = texts.find(({ rect: t }) => g.left < t.right - 1 && t.left < g.right - 1 && g.top < t.bottom - 1 && t.top < g.bottom - 1);
      if (hit) over.push(`${glyph.dataset.message} over ${hit.id}`);
    }
    return { glyphs: glyphs.length, over };
  });
}

/**
 * Cards whose own text or commit bar runs over or past their border (a line too many for the
 * card's height, a word too long for its width): each as "node: its text". The lesson ring, the
 * partition side badge and the election timer sit outside a card on purpose and are not counted.
 */
export async function cardsOverflowing(page: Page): Promise<string[]> {
  await waitForFit(page);
  return page.evaluate(() => {
    const out: string[] = [];
    for (const node of document.querySelectorAll<HTMLElement>('[data-node-id]')) {
      const r = node.getBoundingClientRect();
      const style = getComputedStyle(node);
      const zoom = r.width / node.offsetWidth;
      const inner = {
        left: r.left + parseFloat(style.borderLeftWidth) * zoom,
        right: r.right - parseFloat(style.borderRightWidth) * zoom,
        top: r.top + parseFloat(style.borderTopWidth) * zoom,
        bottom: r.bottom - parseFloat(style.borderBottomWidth) * zoom,
      };
      const parts: { what: string; rect: DOMRect }[] = [];
      const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
      for (let text = walker.nextNode(); text; text = walker.nextNode()) {
        if (!text.textContent?.trim() || text.parentElement?.closest('.lesson-ring, .side-badge, .countdown, title')) continue;
        const range = document.createRange();
        range.selectNodeContents(text);
        for (const rect of range.getClientRects()) if (rect.width > 0) parts.push({ what: text.textContent.trim(), rect });
      }
      for (const bar of node.querySelectorAll('.sim-node-bar')) parts.push({ what: 'commit bar', rect: bar.getBoundingClientRect() });
      for (const { what, rect } of parts) {
        const past = Math.max(inner.left - rect.left, rect.right - inner.right, inner.top - rect.top, rect.bottom - inner.bottom) / zoom;
        if (past > 0.5) out.push(`${node.dataset.nodeId}: "${what}" runs ${past.toFixed(1)} px past the border`);
      }
    }
    return out;
  });
}
