/**
 * Where a message glyph travels on its link, and how it looks over a card: a pure rule, so it can
 * be tested without a browser.
 *
 * A link is drawn from card centre to card centre, under the cards. Its messages travel only the
 * part between the two cards' borders (a little outside them where there is room), so a glyph
 * never sits on the text of the cards it leaves or reaches: the LSNs on two database cards side by
 * side stay readable while WAL streams between them. Where a link passes over a third card, the
 * glyph is drawn faint while it crosses that card's text, which shows through.
 */
import { createContext } from 'react';

export interface CardRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Every card's rectangle in graph units, by node id, and each data-centre box's header band by the box's id (headerAsText; useGraph provides them from the layout). */
export const CardRects = createContext<ReadonlyMap<string, CardRect>>(new Map());

/** A point on the link for t from 0 (its source) to 1 (its target). */
export type Curve = (t: number) => [number, number];

/** A trip shorter than this (graph units) between the clearances is taken with less clearance. */
const MIN_TRIP = 12;
/** The card's edge band (padding, border) a glyph may cross unfaded; inside it lies the card's text. */
const TEXT_INSET = 10;
/** How faint a glyph is drawn while it crosses another card's text. */
export const OVER_CARD_OPACITY = 0.3;
const SAMPLES = 96;

function inside(rect: CardRect, [x, y]: readonly [number, number], grow: number): boolean {
  return x > rect.x - grow && x < rect.x + rect.width + grow && y > rect.y - grow && y < rect.y + rect.height + grow;
}

/** The curve's parameters where it leaves the source card and where it enters the target card, `grow` units outside each. */
function span(curve: Curve, source: CardRect | undefined, target: CardRect | undefined, grow: number): [number, number] {
  let from = 0;
  let to = 1;
  if (source) while (from < 0.5 && inside(source, curve(from), grow)) from += 1 / SAMPLES;
  if (target) while (to > 0.5 && inside(target, curve(to), grow)) to -= 1 / SAMPLES;
  return [from, Math.max(from, to)];
}

/**
 * The glyph's path: `curve` restricted to the stretch between the two cards, `clearance` units
 * outside their borders (a glyph's half size, so that all of it stays off the cards) when the gap
 * is wide enough for it, less when it is not (two cards a column gap apart), on the borders at
 * worst, so a glyph never covers either card's text.
 */
export function tripAlong(curve: Curve, source: CardRect | undefined, target: CardRect | undefined, clearance: number): Curve {
  let from = 0;
  let to = 1;
  for (const grow of [clearance, clearance / 2, 0]) {
    [from, to] = span(curve, source, target, grow);
    const [x1, y1] = curve(from);
    const [x2, y2] = curve(to);
    if (Math.hypot(x2 - x1, y2 - y1) >= MIN_TRIP) break;
  }
  return (t) => curve(from + (to - from) * t);
}

/**
 * A data-centre box's header band (the room the layout leaves above its first row, where its title,
 * dark note and Black out switch sit) as a rectangle all of which `overCardText` takes for text: a
 * glyph on a link between two stacked boxes crosses the lower box's header, and at full strength
 * it covered letters of "DR · singapore" in a 640 px embed.
 */
export function headerAsText(box: CardRect, room: number): CardRect {
  return { x: box.x - TEXT_INSET, y: box.y - TEXT_INSET, width: box.width + 2 * TEXT_INSET, height: room + 2 * TEXT_INSET };
}

/** Whether a glyph at `point` lies over a card's text (inside its edge band), so that it should be drawn faint. */
export function overCardText(point: readonly [number, number], cards: Iterable<CardRect>): boolean {
  for (const card of cards) if (inside(card, point, -TEXT_INSET)) return true;
  return false;
}
