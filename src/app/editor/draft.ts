/**
 * The editor's draft: the JSON text of unsaved edits, kept while the dialog is open so that a
 * reload (or a crashed tab) does not lose them. The page offers to restore it; Apply and Cancel
 * throw it away.
 */
import { readStored, writeStored } from '../store/local-storage';

const KEY = 'ha-playground:editor-draft:v1';

export interface Draft {
  /** The edited text. */
  readonly text: string;
  /** The text the editing started from, to tell whether anything was changed. */
  readonly baseText: string;
}

export function loadDraft(): Draft | null {
  return readStored(KEY, (raw) => {
    const value = raw as Partial<Draft> | null;
    if (typeof value?.text !== 'string' || typeof value.baseText !== 'string' || value.text === value.baseText) return null;
    return { text: value.text, baseText: value.baseText };
  });
}

export function saveDraft(draft: Draft): void {
  writeStored(KEY, draft.text === draft.baseText ? null : draft);
}

export function clearDraft(): void {
  writeStored(KEY, null);
}
