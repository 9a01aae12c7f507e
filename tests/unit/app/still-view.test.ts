// Proves the embed's still graph fits its drawing exactly as React Flow fits the playground's: the
// same view (pan and zoom) for the same nodes in regions wide, tall, tiny and huge, where the
// padding, the zoom bounds or neither decide.
import { describe, expect, it } from 'vitest';
import { getNodesBounds, getViewportForBounds } from '@xyflow/react';
import { FIT, LESSON_RING_REACH, MIN_ZOOM, ringSafePadding, type FlowNode } from '../../../src/app/graph/graph-model';
import { viewFitting } from '../../../src/app/graph/still-view';

function card(id: string, x: number, y: number, width = 132, height = 92): FlowNode {
  return { id, type: 'sim', position: { x, y }, data: { id }, width, height };
}

const DRAWINGS: Record<string, FlowNode[]> = {
  'three in a row': [card('a', 0, 0), card('b', 148, 0), card('c', 296, 0)],
  'a triangle': [card('a', 130, 0), card('b', 0, 190), card('c', 260, 190)],
  'boxes and cards off the origin': [
    { id: 'region:primary', type: 'region', position: { x: -24, y: -40 }, data: { region: 'primary' }, width: 700, height: 520 },
    card('db-1', 10, 300, 132, 128),
    card('orch-1', 40, 20),
  ],
  'one card': [card('a', 50, 60)],
};

const REGIONS: [number, number][] = [
  [640, 320],
  [608, 480],
  [1366, 600],
  [300, 900],
  [90, 70],
  [4000, 3000],
];

describe('the still graph fits its drawing as React Flow does', () => {
  for (const [name, nodes] of Object.entries(DRAWINGS)) {
    it(name, () => {
      for (const [width, height] of REGIONS) {
        const rough = getViewportForBounds(getNodesBounds(nodes), width, height, MIN_ZOOM, FIT.maxZoom, FIT.padding);
        const expected = getViewportForBounds(getNodesBounds(nodes), width, height, MIN_ZOOM, FIT.maxZoom, ringSafePadding(rough.zoom));
        const view = viewFitting(nodes, width, height);
        expect(view.zoom, `${width}×${height}`).toBeCloseTo(expected.zoom, 9);
        expect(view.x, `${width}×${height}`).toBeCloseTo(expected.x, 9);
        expect(view.y, `${width}×${height}`).toBeCloseTo(expected.y, 9);
      }
    });
  }
});

describe("a lesson's ring and glow fit inside the region, whatever the zoom", () => {
  for (const [name, nodes] of Object.entries(DRAWINGS)) {
    it(name, () => {
      for (const [width, height] of REGIONS) {
        const view = viewFitting(nodes, width, height);
        if (view.zoom <= 0.2) continue; // a drawing at the smallest zoom overflows its region anyway
        const reach = LESSON_RING_REACH * view.zoom;
        for (const n of nodes) {
          const left = n.position.x * view.zoom + view.x;
          const top = n.position.y * view.zoom + view.y;
          expect(left - reach, `${n.id} at ${width}×${height}`).toBeGreaterThanOrEqual(-1e-9);
          expect(top - reach, `${n.id} at ${width}×${height}`).toBeGreaterThanOrEqual(-1e-9);
          expect(width - (left + n.width! * view.zoom) - reach, `${n.id} at ${width}×${height}`).toBeGreaterThanOrEqual(-1e-9);
          expect(height - (top + n.height! * view.zoom) - reach, `${n.id} at ${width}×${height}`).toBeGreaterThanOrEqual(-1e-9);
        }
      }
    });
  }
});
