/**
 * The lesson gallery: the first screen of a first visit, and the toolbar's `Lessons…` button
 * after. "Start here" on top, then every bundled preset grouped by the article's sections, each
 * card with its goal, about how long it takes and whether steps guide it. Everything it shows
 * comes from `scenarios/index.json`; picking a card opens that preset (a lesson opens paused on
 * its first step).
 */
import { useEffect, useId, useState } from 'react';
import { create } from 'zustand';
import { useModalDialog } from '../components/shell/use-modal-dialog';
import { fetchScenarioList, isFirstVisit, openPreset, type ScenarioListing } from '../store/engine';
import { sectionsOf } from './gallery-sections';
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

function Card({ entry, start = false }: { readonly entry: ScenarioListing; readonly start?: boolean }) {
  return (
    <button type="button" className={`gallery-card${start ? ' is-start' : ''}`} data-preset={entry.id} onClick={() => pick(entry.id)} autoFocus={start}>
      {start && <span className="gallery-start">Start here</span>}
      <strong className="gallery-title">{entry.title}</strong>
      {entry.goal && <span className="gallery-goal">{entry.goal}</span>}
      <span className="gallery-meta">
        {entry.minutes !== undefined && <span>about {entry.minutes} min</span>}
        {entry.guided ? <span className="gallery-guided">guided, step by step</span> : <span>free play</span>}
      </span>
    </button>
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
  const start = list.find((entry) => entry.start);
  return (
    // Keys pressed in the gallery are the gallery's: the playground's shortcuts must not act behind it.
    <dialog ref={ref} className="gallery" aria-labelledby={titleId} onClose={closeGallery} onKeyDown={(e) => e.stopPropagation()}>
      <header className="gallery-head">
        <h2 id={titleId}>Lessons</h2>
        <p className="muted">Each lesson opens paused on its first step: read it, then press Play.</p>
        <button type="button" className="quiet" onClick={closeGallery}>
          Close
        </button>
      </header>
      {list.length === 0 && <p className="muted">Loading the lessons…</p>}
      {start && (
        <section className="gallery-section" aria-label="Start here">
          <Card entry={start} start />
        </section>
      )}
      {sectionsOf(list).map((section, i) => (
        <section key={section.title} className="gallery-section" aria-labelledby={`${titleId}-${i}`}>
          <h3 id={`${titleId}-${i}`}>{section.title}</h3>
          <div className="gallery-cards">
            {section.lessons.map((entry) => (
              <Card key={entry.id} entry={entry} />
            ))}
          </div>
        </section>
      ))}
    </dialog>
  );
}
