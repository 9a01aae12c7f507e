// Proves the rule for where a message glyph travels: only between the borders of the two cards it links (a little outside them where the gap allows, on the borders where two cards are a column gap apart), so it never sits on either card's text; that a glyph is faint exactly while it lies over a card's text area; and that over a data-centre box's header band (its title at the very top-left corner included) it is faint too, and not below it.
import { describe, expect, it } from 'vitest';
import { headerAsText, overCardText, tripAlong, type CardRect, type Curve } from '../../../src/app/graph/message-path';

const card = (x: number, y: number, height = 92): CardRect => ({ x, y, width: 132, height });
const centre = (c: CardRect): [number, number] => [c.x + c.width / 2, c.y + c.height / 2];
const line = (a: CardRect, b: CardRect): Curve => {
  const [x1, y1] = centre(a);
  const [x2, y2] = centre(b);
  return (t) => [x1 + (x2 - x1) * t, y1 + (y2 - y1) * t];
};
const inside = (c: CardRect, [x, y]: [number, number]) => x > c.x && x < c.x + c.width && y > c.y && y < c.y + c.height;

describe('a message glyph on its link', () => {
  it('starts and ends outside both cards, clear of their borders by the clearance asked (half a glyph), when the cards are far apart', () => {
    const a = card(0, 0);
    const b = card(0, 300);
    const trip = tripAlong(line(a, b), a, b, 11);
    for (let k = 0; k <= 20; k++) {
      const point = trip(k / 20);
      expect(inside(a, point) || inside(b, point), `t=${k / 20} at ${point.join(',')}`).toBe(false);
    }
    expect(trip(0)[1]).toBeGreaterThanOrEqual(92 + 10);
    expect(trip(1)[1]).toBeLessThanOrEqual(300 - 10);
  });

  it('between two database cards a column gap apart (16 units) it stays in the gap, on the borders at most', () => {
    const a = card(0, 0, 128);
    const b = card(148, 0, 128);
    const trip = tripAlong(line(a, b), a, b, 11);
    const [x0] = trip(0);
    const [x1] = trip(1);
    expect(x0).toBeGreaterThanOrEqual(132 - 2);
    expect(x1).toBeLessThanOrEqual(148 + 2);
    expect(x1).toBeGreaterThan(x0);
  });

  it('on a diagonal link it leaves each card where the line crosses its border', () => {
    const a = card(0, 0);
    const b = card(400, 300);
    const trip = tripAlong(line(a, b), a, b, 11);
    expect(inside(a, trip(0))).toBe(false);
    expect(inside(b, trip(1))).toBe(false);
    // Not much further than the border: the trip keeps most of the link.
    expect(Math.hypot(trip(1)[0] - trip(0)[0], trip(1)[1] - trip(0)[1])).toBeGreaterThan(300);
  });

  it('is faint over a card’s text area, not over its edge band nor outside it', () => {
    const c = card(100, 100);
    expect(overCardText(centre(c), [c])).toBe(true);
    expect(overCardText([103, 146], [c])).toBe(false);
    expect(overCardText([90, 146], [c])).toBe(false);
    expect(overCardText(centre(c), [card(400, 400)])).toBe(false);
  });

  it('is faint anywhere over a data-centre header band, from the box’s top-left corner, and not under the band', () => {
    const box = { x: 0, y: 300, width: 420, height: 200 };
    const header = [headerAsText(box, 44)];
    // The title starts 12 units in and 6 down (RegionNode): no edge band is left out at the corner.
    expect(overCardText([14, 310], header)).toBe(true);
    expect(overCardText([210, 340], header)).toBe(true);
    expect(overCardText([210, 300 + 44 + 4], header)).toBe(false);
    expect(overCardText([210, 290], header)).toBe(false);
  });
});
