// Proves the words and lists the first screen is built from: the Speed label says the measured rate and why it differs from the speed asked, the scenario index gives every preset its section, goal, time and guidance (guided exactly when the file has steps, one "start here"), and the gallery groups them in the article's order.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { speedLabel } from '../../../src/app/components/playback/speed-label';
import { writablePrimaries } from '../../../src/app/components/panels/Meters';
import { courseOf, sectionsOf } from '../../../src/app/lessons/gallery-sections';
import type { ScenarioListing } from '../../../src/app/store/engine';
import type { NodeState } from '../../../src/sim/world/simulation';
import { ARTICLE_SECTIONS } from '../../support/article-sections';

const dir = new URL('../../../public/scenarios/', import.meta.url);
const index = JSON.parse(readFileSync(new URL('index.json', dir), 'utf8')) as (ScenarioListing & { summary: string })[];

describe('the Speed label', () => {
  it('names the speed asked while paused, or while the clock runs at it', () => {
    expect(speedLabel(0.02, null)).toBe('0.02×');
    expect(speedLabel(0.02, { simPerWall: 0.021, hurriedShare: 0 })).toBe('0.02×');
  });

  it('shows the real rate and by how much it hurries through quiet time', () => {
    expect(speedLabel(0.02, { simPerWall: 0.2, hurriedShare: 0.9 })).toBe('0.2× · hurrying ×10 through quiet time');
  });

  it('says when the machine cannot keep up', () => {
    expect(speedLabel(100, { simPerWall: 40, hurriedShare: 0 })).toBe('40× · the machine cannot keep up');
  });
});

describe('the scenario index', () => {
  it('keeps its fields and gives every preset a section, goal, time and guidance', () => {
    for (const entry of index) {
      expect(entry.id).toMatch(/^[a-z0-9-]+$/);
      expect(entry.title.length).toBeGreaterThan(5);
      expect(entry.summary.length).toBeGreaterThan(20);
      expect(entry.section, entry.id).toBeTruthy();
      expect(entry.sectionOrder, entry.id).toBeGreaterThan(0);
      expect(entry.goal!.length, entry.id).toBeGreaterThan(20);
      expect(entry.minutes, entry.id).toBeGreaterThan(0);
      const file = JSON.parse(readFileSync(new URL(`${entry.id}.json`, dir), 'utf8')) as { steps?: unknown[] };
      expect(entry.guided, entry.id).toBe((file.steps?.length ?? 0) > 0);
    }
  });

  it('starts the course with the first section’s first lesson, a guided one, and marks no other', () => {
    const first = courseOf(index).lessons[0]!;
    expect(first.id).toBe('stateless-vs-stateful');
    expect(first.number).toBe('1.1');
    expect(first.guided).toBe(true);
    // "Start here" is worked out from the course order: no entry claims it, so it cannot drift from it.
    expect(index.filter((entry) => 'start' in entry)).toEqual([]);
  });

  it('each section has one place in the article', () => {
    const orders = new Map<string, number>();
    for (const entry of index) {
      expect(orders.get(entry.section!) ?? entry.sectionOrder).toBe(entry.sectionOrder);
      orders.set(entry.section!, entry.sectionOrder!);
    }
    expect(orders.size).toBe(9);
  });
});

describe('the gallery', () => {
  it('groups by section in the article’s order, lessons in the index’s order', () => {
    const sections = sectionsOf(index);
    expect(sections.map((s) => s.title)).toEqual(ARTICLE_SECTIONS);
    const leaderElection = sections.find((s) => s.title === 'Leader election')!;
    expect(leaderElection.lessons.map((l) => l.id)).toEqual(index.filter((e) => e.section === 'Leader election').map((e) => e.id));
    expect(sections.flatMap((s) => s.lessons)).toHaveLength(index.length);
  });

  it('puts entries without a section last', () => {
    const sections = sectionsOf([{ id: 'x', title: 'X' }, { id: 'y', title: 'Y', section: 'First', sectionOrder: 1 }]);
    expect(sections.map((s) => s.title)).toEqual(['First', 'More scenarios']);
  });
});

function db(id: string, up: boolean, writable: boolean, epoch: number): NodeState {
  return { id, kind: 'database', region: 'primary', up, view: { role: writable ? 'primary' : 'standby', term: epoch, detail: {} }, service: { writable, epoch, upstream: null } };
}

describe('the PRIMARY meter', () => {
  it('names every running node that accepts writes, newest epoch first', () => {
    expect(writablePrimaries([db('db-1', true, true, 1), db('db-2', true, true, 2), db('db-3', true, false, 2)])).toEqual(['db-2', 'db-1']);
    expect(writablePrimaries([db('db-1', false, true, 1), db('db-2', true, false, 2)])).toEqual([]);
  });
});
