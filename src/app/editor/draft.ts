/**
 * The editor's draft: the JSON text of unsaved edits, kept while the dialog is open so that a
 * reload (or a crashed tab) does not lose them. The page offers to restore it; Apply and Cancel
 * throw it away.
 */
const KEY = 'ha-playground:editor-draft:v1';

export interface Draft {
  /** The edited text. */
  readonly text: string;
  /** The text the editing started from, to tell whether anything was changed. */
  readonly baseText: string;
}

export function loadDraft(): Draft | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<Draft>;
    if (typeof value.text !== 'string' || typeof value.baseText !== 'string' || value.text === value.baseText) return null;
    return { text: value.text, baseText: value.baseText };
  } catch {
    return null; // storage blocked or a damaged entry: nothing to offer
  }
}

export function saveDraft(draft: Draft): void {
  try {
    if (draft.text === draft.baseText) localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, JSON.stringify(draft));
  } catch {
    // Storage full or blocked: the draft lives only as long as the page.
  }
}

export function clearDraft(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // Nothing was kept.
  }
}
