/**
 * The scenario editor's state and the file commands. The editor holds only the JSON text (the
 * form is drawn from it), the text it started from, and a draft from before a reload on offer.
 * Every scenario the user hands over, from a file or from the editor, goes to the worker to be
 * validated and opened, like a link.
 */
import { create } from 'zustand';
import { openUserScenario, saveFile } from '../store/engine';
import { useSim } from '../store/sim-store';
import { clearDraft, loadDraft, saveDraft, type Draft } from './draft';
import { fileOrigin, fileTooBig, readScenarioFile, scenarioFileName, scenarioFileText, schemaUrl } from './file';
import { applicable, checkText } from './form';

interface EditorState {
  readonly open: boolean;
  readonly text: string;
  /** The text the dialog opened with: edits are "unsaved" while the text differs from it. */
  readonly baseText: string;
  /** Edits left in the dialog before the page was reloaded, offered until restored or discarded. */
  readonly offeredDraft: Draft | null;
}

export const useEditor = create<EditorState>(() => ({ open: false, text: '', baseText: '', offeredDraft: loadDraft() }));

export const FILE_FAILED = 'This file could not be opened';
const EDIT_FAILED = 'The edited scenario could not be opened';

/** The recorded run (every click included) as a scenario file's text, or null before anything has loaded. */
function currentText(): string | null {
  const recorded = useSim.getState().recorded;
  return recorded ? scenarioFileText(recorded, schemaUrl(document.baseURI)) : null;
}

export function openEditor(): void {
  const text = currentText();
  if (text === null) return;
  useEditor.setState({ open: true, text, baseText: text });
}

export function editText(text: string): void {
  const { baseText } = useEditor.getState();
  useEditor.setState({ text });
  saveDraft({ text, baseText });
}

export function cancelEditor(): void {
  if (!useEditor.getState().open) return;
  useEditor.setState({ open: false });
  clearDraft();
}

/** Loads the edited scenario (less any recorded event that no longer fits); false when it has errors. Nothing changed: the run stays. */
export function applyEditor(): boolean {
  const { text, baseText } = useEditor.getState();
  if (text === baseText) {
    cancelEditor();
    return true;
  }
  const ready = applicable(checkText(text));
  if (!ready.ok) return false;
  openUserScenario(ready.value, 'the scenario editor', EDIT_FAILED);
  useEditor.setState({ open: false });
  clearDraft();
  return true;
}

export function restoreDraft(): void {
  const draft = useEditor.getState().offeredDraft;
  if (!draft) return;
  const baseText = currentText() ?? draft.baseText;
  useEditor.setState({ open: true, text: draft.text, baseText, offeredDraft: null });
  saveDraft({ text: draft.text, baseText });
}

export function discardDraft(): void {
  useEditor.setState({ offeredDraft: null });
  if (!useEditor.getState().open) clearDraft();
}

// ---- files ----------------------------------------------------------------------------------------

export function saveScenarioFile(): void {
  const text = currentText();
  const title = useSim.getState().recorded?.title ?? '';
  if (text !== null) saveFile(scenarioFileName(title), text);
}

function showFileError(message: string): void {
  useSim.setState((s) => ({ loadError: message, loadErrorTitle: FILE_FAILED, status: s.status === 'running' ? 'running' : 'load-error' }));
}

/**
 * Opens a scenario file in the playground, or, while the editor is open, puts its text into the
 * editor to look at before applying. A bad file keeps the run and says what is wrong.
 */
export async function openScenarioFile(file: File): Promise<void> {
  if (fileTooBig(file.size)) {
    showFileError(`The scenario from ${fileOrigin(file.name)} is not valid:\nit is ${file.size} bytes; a scenario file is far smaller`);
    return;
  }
  let text: string;
  try {
    text = await file.text();
  } catch {
    showFileError(`The scenario from ${fileOrigin(file.name)} could not be read.`);
    return;
  }
  if (useEditor.getState().open) {
    editText(text);
    return;
  }
  const read = readScenarioFile(text, file.name);
  if (!read.ok) showFileError(read.message);
  else openUserScenario(read.value, fileOrigin(file.name), FILE_FAILED);
}
