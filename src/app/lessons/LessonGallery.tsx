/**
 * The lesson gallery: the first screen of a first visit, and the toolbar's `Lessons…` button
 * after. A course through the article: "Start here" on top (and, once some lesson is finished,
 * the next one in the course), the course's progress bar, then every bundled preset in numbered
 * sections in the article's order, each card numbered, with its goal, about how long it takes,
 * whether steps guide it, and the learner's progress (finished, predictions made and held).
 * The lessons come from `scenarios/index.json`, the progress from this browser (course-store.ts);
 * picking a card opens that preset (a lesson opens paused on its first step).
 */
import { useEffect, useId, useState } from 'react';
import { create } from 'zustand';
import { useModalDialog } from '../components/shell/use-modal-dialog';
import { fetchScenarioList, isFirstVisit, openPreset, type ScenarioListing } from '../store/engine';
import { ensureCourseLoaded, resetCourse, useCourse } from './course-store';
import { courseOf, type CourseLesson } from './gallery-sections';
import { NO_RECORD, predictionCounts, type LessonRecord } from './progress-storage';
import './gallery.css';

export const useGallery = create<{ readonly open: boolean }>(() => ({ open: isFirstVisit() }));

export function openGallery(): void {
  useGallery.setState({ open: true });
}

function closeGallery(): void {
  useGallery.setState({ open: false });
}

function pick(id: string): void {
  closeGallery();
  void openPreset(id);
}

function Progress({ record }: { readonly record: LessonRecord }) {
  const { made, held } = predictionCounts(record);
  if (!record.finished && made === 0) return null;
  return (
    <span className="gallery-progress">
      {record.finished && <span className="gallery-finished">✓ Finished</span>}
      {made > 0 && (
        <span>
          {made === 1 ? '1 prediction' : `${made} predictions`}, {held} held
        </span>
      )}
    </span>
  );
}

function Card({ entry, record, label }: { readonly entry: CourseLesson; readonly record: LessonRecord; readonly label?: string }) {
  const highlighted = label !== undefined;
  return (
    <button
      type="button"
      className={`gallery-card${highlighted ? ' is-start' : ''}${record.finished ? ' is-finished' : ''}`}
      data-preset={entry.id}
      data-finished={record.finished}
      onClick={() => pick(entry.id)}
      autoFocus={highlighted}
    >
      {highlighted && <span className="gallery-start">{label}</span>}
      <strong className="gallery-title">
        <span className="gallery-number">{entry.number}</span> {entry.title}
      </strong>
      {entry.goal && <span className="gallery-goal">{entry.goal}</span>}
      <span className="gallery-meta">
        {entry.minutes !== undefined && <span>about {entry.minutes} min</span>}
        {entry.guided ? <span className="gallery-guided">guided, step by step</span> : <span>free play</span>}
      </span>
      <Progress record={record} />
    </button>
  );
}

function CourseBar({ lessons, onReset }: { readonly lessons: readonly CourseLesson[]; readonly onReset: () => void }) {
  const course = useCourse((s) => s.course);
  const finished = lessons.filter((l) => course[l.id]?.finished).length;
  const predictions = lessons.map((l) => predictionCounts(course[l.id] ?? NO_RECORD));
  const made = predictions.reduce((n, p) => n + p.made, 0);
  const held = predictions.reduce((n, p) => n + p.held, 0);
  const started = finished > 0 || made > 0;
  return (
    <div className="gallery-course">
      <label className="gallery-course-label">
        <span data-course-finished={finished}>
          Course: {finished} of {lessons.length} lessons finished
          {made > 0 ? ` · ${made === 1 ? '1 prediction' : `${made} predictions`}, ${held} held` : ''}
        </span>
        <progress max={lessons.length} value={finished} />
      </label>
      {started && (
        <button type="button" className="quiet" onClick={onReset}>
          Reset progress
        </button>
      )}
    </div>
  );
}

export function LessonsButton() {
  return (
    <button type="button" className="start-here" onClick={openGallery} title="Every lesson, by the article’s sections">
      Lessons…
    </button>
  );
}

export function LessonGallery() {
  const open = useGallery((s) => s.open);
  const ref = useModalDialog(open);
  const titleId = useId();
  const [list, setList] = useState<ScenarioListing[]>([]);
  useEffect(() => {
    if (open && list.length === 0) void fetchScenarioList().then(setList);
  }, [open, list.length]);
  const course = useCourse((s) => s.course);
  useEffect(() => {
    if (open) ensureCourseLoaded();
  }, [open]);
  const { sections, lessons } = courseOf(list);
  // Where to start is the first lesson of the course, in the article's order.
  const start = lessons[0];
  const next = lessons.some((l) => course[l.id]?.finished) ? lessons.find((l) => !course[l.id]?.finished) : undefined;
  const reset = () => {
    if (confirm('Forget which lessons you finished and the predictions you made, in this browser?')) resetCourse();
  };
  return (
    // Keys pressed in the gallery are the gallery's: the playground's shortcuts must not act behind it.
    <dialog ref={ref} className="gallery" aria-labelledby={titleId} onClose={closeGallery} onKeyDown={(e) => e.stopPropagation()}>
      <header className="gallery-head">
        <h2 id={titleId}>Lessons</h2>
        <p className="muted">A course through the article, section by section. Each lesson opens paused on its first step: read it, then press Play.</p>
        <button type="button" className="quiet" onClick={closeGallery}>
          Close
        </button>
      </header>
      {list.length === 0 && <p className="muted">Loading the lessons…</p>}
      {lessons.length > 0 && <CourseBar lessons={lessons} onReset={reset} />}
      {(next ?? start) && (
        <section className="gallery-section" aria-label={next ? 'Next in the course' : 'Start here'}>
          {next ? <Card entry={next} record={course[next.id] ?? NO_RECORD} label="Next in the course" /> : start && <Card entry={start} record={course[start.id] ?? NO_RECORD} label="Start here" />}
        </section>
      )}
      {sections.map((section, i) => (
        <section key={section.title} className="gallery-section" aria-labelledby={`${titleId}-${i}`}>
          <h3 id={`${titleId}-${i}`} data-number={section.number}>
            {section.title}
          </h3>
          <div className="gallery-cards">
            {section.lessons.map((entry) => (
              <Card key={entry.id} entry={entry} record={course[entry.id] ?? NO_RECORD} />
            ))}
          </div>
        </section>
      ))}
    </dialog>
  );
}
