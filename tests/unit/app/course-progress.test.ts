// Proves the course progress kept per browser: a lesson finished and the predictions made survive a reload of storage, the first answer to a question counts, "Reset progress" forgets the course, every lesson's saved step and the recalled predictions, and storage that is damaged, of another shape or blocked reads as a clean start and never throws; and the course numbers the article's sections and their lessons in order.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { blockedStorage } from '../../support/blocked-storage';
import { courseOf } from '../../../src/app/lessons/gallery-sections';
import { loadCourse, loadPredictions, loadProgress, predictionCounts, resetAllProgress, saveCourse, savePrediction, saveProgress, withFinished, withPrediction } from '../../../src/app/lessons/progress-storage';

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

let storage: MemoryStorage;
beforeEach(() => {
  storage = new MemoryStorage();
  vi.stubGlobal('localStorage', storage);
});
afterEach(() => vi.unstubAllGlobals());

describe('course progress', () => {
  it('starts empty, and keeps a finished lesson and its predictions across a reload', () => {
    expect(loadCourse()).toEqual({});
    let course = withFinished(loadCourse(), 'raft-basics');
    course = withPrediction(course, 'raft-partition', 2, true);
    course = withPrediction(course, 'raft-partition', 4, false);
    saveCourse(course);
    const read = loadCourse();
    expect(read['raft-basics']).toEqual({ finished: true, predictions: {} });
    expect(read['raft-partition']!.finished).toBe(false);
    expect(predictionCounts(read['raft-partition']!)).toEqual({ made: 2, held: 1 });
  });

  it('counts the first answer to a question: a retry after a rewind does not rewrite it', () => {
    const once = withPrediction({}, 'backup-restore', 1, false);
    expect(withPrediction(once, 'backup-restore', 1, true)).toBe(once);
    expect(withFinished(withFinished({}, 'x'), 'x')).toEqual({ x: { finished: true, predictions: {} } });
  });

  it('Reset progress forgets the course, every lesson’s saved step and the predictions the cards recall', () => {
    saveCourse(withFinished({}, 'raft-basics'));
    saveProgress('Raft basics#abc', { index: 3, marks: [0, 1, 2, 3], run: 'r' });
    savePrediction('Raft basics#abc', { step: 2, picked: 'Yes', held: true, answer: 'Yes' });
    expect(loadProgress('Raft basics#abc')).not.toBeNull();
    expect(loadPredictions()['Raft basics#abc']).toHaveLength(1);
    resetAllProgress();
    expect(loadCourse()).toEqual({});
    expect(loadProgress('Raft basics#abc')).toBeNull();
    expect(loadPredictions()).toEqual({});
  });

  it('reads damaged or foreign storage as a clean start, keeping only well-formed records', () => {
    storage.setItem('ha-playground:course:v1', '{not json');
    expect(loadCourse()).toEqual({});
    storage.setItem('ha-playground:course:v1', '[1,2]');
    expect(loadCourse()).toEqual({});
    storage.setItem('ha-playground:course:v1', 'null');
    expect(loadCourse()).toEqual({});
    storage.setItem(
      'ha-playground:course:v1',
      JSON.stringify({ good: { finished: true, predictions: { 2: true } }, noFlag: { predictions: {} }, badAnswer: { finished: false, predictions: { 1: 'yes' } }, list: [], nothing: null }),
    );
    expect(loadCourse()).toEqual({ good: { finished: true, predictions: { 2: true } } });
  });

  it('never throws when storage is blocked', () => {
    vi.stubGlobal('localStorage', blockedStorage());
    expect(loadCourse()).toEqual({});
    expect(() => saveCourse(withFinished({}, 'a'))).not.toThrow();
    expect(() => resetAllProgress()).not.toThrow();
  });
});

describe('the course', () => {
  it('numbers the sections in the article’s order and the lessons within each', () => {
    const { sections, lessons } = courseOf([
      { id: 'b1', title: 'B1', section: 'Backups', sectionOrder: 2 },
      { id: 's1', title: 'S1', section: 'Stateless', sectionOrder: 1 },
      { id: 'b2', title: 'B2', section: 'Backups', sectionOrder: 2 },
    ]);
    expect(sections.map((s) => [s.number, s.title])).toEqual([
      [1, 'Stateless'],
      [2, 'Backups'],
    ]);
    expect(lessons.map((l) => `${l.number} ${l.id}`)).toEqual(['1.1 s1', '2.1 b1', '2.2 b2']);
  });
});
