/**
 * The toolbar's scenario controls: "Edit scenario", "Open scenario file…" (a real file input,
 * reachable by Tab, and a .json dropped anywhere on the page), "Save scenario file"; and the
 * offer to restore editor edits that a reload interrupted.
 */
import { useEffect, useState } from 'react';
import { useSim } from '../store/sim-store';
import { EditorDialog } from './EditorDialog';
import { discardDraft, openEditor, openScenarioFile, restoreDraft, saveScenarioFile, useEditor } from './editor-store';
import './editor.css';

function hasFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false;
}

/** While a file is dragged over the page, says where it goes; a drop opens it. */
function DropZone() {
  const [dragging, setDragging] = useState(false);
  const editing = useEditor((s) => s.open);
  useEffect(() => {
    let depth = 0;
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth += 1;
      setDragging(true);
    };
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault(); // without this the browser would open the file itself
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setDragging(false);
      const file = e.dataTransfer?.files[0];
      if (file) void openScenarioFile(file);
    };
    addEventListener('dragenter', enter);
    addEventListener('dragover', over);
    addEventListener('dragleave', leave);
    addEventListener('drop', drop);
    return () => {
      removeEventListener('dragenter', enter);
      removeEventListener('dragover', over);
      removeEventListener('dragleave', leave);
      removeEventListener('drop', drop);
    };
  }, []);
  if (!dragging) return null;
  return (
    <div className="ed-drop" aria-hidden="true">
      <p>{editing ? 'Drop the scenario file to put it in the editor' : 'Drop a scenario file (.json) to open it'}</p>
    </div>
  );
}

export function ScenarioFileControls() {
  const ready = useSim((s) => s.recorded !== null);
  return (
    <span className="scenario-files">
      <button type="button" onClick={openEditor} disabled={!ready} title="Change the topology and settings in a form, or the whole scenario as JSON">
        Edit scenario
      </button>
      <label className="file-open" title="Open a scenario file (.json) from your computer; you can also drop one on the page">
        <input
          type="file"
          accept=".json,application/json"
          className="visually-hidden"
          onChange={(e) => {
            const input = e.currentTarget;
            const file = input.files?.[0];
            if (file) void openScenarioFile(file);
            input.value = ''; // so that choosing the same file again opens it again
          }}
        />
        Open scenario file…
      </label>
      <button type="button" onClick={saveScenarioFile} disabled={!ready} title="Download this run as a scenario file: the scenario and every click you made; opening it replays the same run">
        Save scenario file
      </button>
    </span>
  );
}

/** The editor's dialog and the page-wide drop target, rendered outside the Tools menu so that they work while it is closed. */
export function ScenarioFileLayers() {
  return (
    <>
      <DropZone />
      <EditorDialog />
    </>
  );
}

/** After a reload, the editor's unsaved edits are offered back (the dialog offers them too). */
export function EditorDraftNotice() {
  const offered = useEditor((s) => s.offeredDraft !== null);
  const open = useEditor((s) => s.open);
  if (!offered || open) return null;
  return (
    <section className="banner ed-draft-notice" aria-labelledby="ed-draft-title">
      <h2 id="ed-draft-title">Unsaved scenario edits</h2>
      <p>The scenario editor was open with changes when the page was reloaded. They are not applied to this run.</p>
      <div className="banner-actions">
        <button type="button" onClick={restoreDraft}>
          Restore the edits
        </button>
        <button type="button" className="quiet" onClick={discardDraft}>
          Discard them
        </button>
      </div>
    </section>
  );
}
