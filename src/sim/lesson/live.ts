/**
 * Live values in a lesson's text: `{leader}`, `{primary}`, `{term}`, `{lastCrashed}`,
 * `{lastRestarted}`, `{standby}`, each replaced by what the moment shows. A value missing at the
 * moment (no leader during an election) reads as words in parentheses, never as a wrong id.
 */
import { LIVE_PLACEHOLDERS, type LivePlaceholder } from '../scenario/types';
import { leaderOf, writersOf, type LessonMoment } from './moment';

export function liveValues(moment: LessonMoment): Record<LivePlaceholder, string> {
  const leader = leaderOf(moment);
  const standby = moment.nodes.find((n) => n.kind === 'database' && n.up && n.role === 'standby');
  return {
    leader: leader?.id ?? '(no leader)',
    primary: writersOf(moment)[0]?.id ?? '(no primary)',
    term: String(leader?.term ?? moment.meters.term ?? 0),
    lastCrashed: moment.lastCrashed ?? '(none crashed yet)',
    lastRestarted: moment.lastRestarted ?? '(none restarted yet)',
    standby: standby?.id ?? '(no standby)',
  };
}

/** The text with each live value filled in from the moment (null: the placeholders' names, as written). */
export function fillLive(text: string, moment: LessonMoment | null): string {
  if (moment === null) return text;
  const values = liveValues(moment);
  const known: readonly string[] = LIVE_PLACEHOLDERS;
  return text.replace(/\{([A-Za-z][A-Za-z0-9]*)\}/g, (whole, name: string) => (known.includes(name) ? values[name as LivePlaceholder] : whole));
}
