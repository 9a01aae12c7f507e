/** The lesson gallery's grouping of `scenarios/index.json`, kept apart from the component so it can be tested alone. */

/** One entry of `scenarios/index.json`: what the lesson gallery needs to present a preset. */
export interface ScenarioListing {
  readonly id: string;
  readonly title: string;
  readonly summary?: string;
  /** The article's section it belongs to, and that section's place in the article. */
  readonly section?: string;
  readonly sectionOrder?: number;
  /** What the learner will have seen or done, in one sentence. */
  readonly goal?: string;
  /** About how long it takes, reading included. */
  readonly minutes?: number;
  /** It has lesson steps that lead the way. */
  readonly guided?: boolean;
}

export interface GallerySection {
  readonly title: string;
  readonly lessons: readonly ScenarioListing[];
}

/** The listing grouped by section, sections in the article's order, lessons in the index's order. */
export function sectionsOf(list: readonly ScenarioListing[]): GallerySection[] {
  const sections = new Map<string, { order: number; lessons: ScenarioListing[] }>();
  for (const entry of list) {
    const title = entry.section ?? 'More scenarios';
    const section = sections.get(title) ?? { order: entry.sectionOrder ?? Number.MAX_SAFE_INTEGER, lessons: [] };
    section.lessons.push(entry);
    sections.set(title, section);
  }
  return [...sections.entries()].sort((a, b) => a[1].order - b[1].order).map(([title, s]) => ({ title, lessons: s.lessons }));
}

/** A lesson in the course: its listing and its number ("5.2": the second lesson of section 5). */
export interface CourseLesson extends ScenarioListing {
  readonly number: string;
}

export interface CourseSection {
  readonly title: string;
  readonly number: number;
  readonly lessons: readonly CourseLesson[];
}

/** The course: the sections numbered in the article's order, and every lesson in course order. */
export function courseOf(list: readonly ScenarioListing[]): { readonly sections: CourseSection[]; readonly lessons: CourseLesson[] } {
  const sections = sectionsOf(list).map((section, i) => ({
    title: section.title,
    number: i + 1,
    lessons: section.lessons.map((entry, j) => ({ ...entry, number: `${i + 1}.${j + 1}` })),
  }));
  return { sections, lessons: sections.flatMap((s) => s.lessons) };
}
