/**
 * The header's one row: what a learner needs (the lessons, the partition tool, `Heal all`,
 * `Copy link`, presenter mode) and a **Tools** menu button that opens the rest: `Propose`, scenario
 * files and the editor, downloads, the strategy comparison, the sweep and A/B side by side. Folding them away leaves the graph
 * the header's second row. The menu answers the keyboard as a menu does: Enter, Space or ↓ opens it
 * on its first control, the arrow keys (and Home / End) move between its controls, Escape closes
 * it and gives the focus back to the button.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { copyLink, pageCommand, runCommand, titleOf, type PageCommandId } from '../../actions/commands';
import { commands } from '../../store/engine';
import { LessonGallery, LessonsButton } from '../../lessons/LessonGallery';
import { PartitionButton } from './PartitionTool';
import { ActionForm } from '../shell/ActionForm';
import { CompareButton, CompareDialog } from '../../compare/CompareDialog';
import { SweepButton, SweepDialog } from '../../sweep/SweepDialog';
import { AbButton, AbDialog } from '../../ab/AbDialog';
import { PresenterButton } from '../../presenter/PresenterButton';
import { ScenarioFileControls, ScenarioFileLayers } from '../../editor/ScenarioFiles';

/** A button that runs one of the page's commands, with the command's own label and title. */
function CommandButton({ id }: { id: PageCommandId }) {
  return (
    <button type="button" onClick={() => runCommand(id)} title={titleOf(id)}>
      {pageCommand(id).label}
    </button>
  );
}

function ProposeControl() {
  const [count, setCount] = useState(1);
  const [cmd, setCmd] = useState('');
  const propose = () => {
    commands.act({ do: 'propose', cmd: cmd.trim() || `set x=${count}` });
    setCount((c) => c + 1);
    setCmd('');
  };
  return (
    <ActionForm className="propose" onSubmit={propose}>
      <label>
        <span className="visually-hidden">Command</span>
        <input type="text" value={cmd} placeholder={`set x=${count}`} maxLength={60} onChange={(e) => setCmd(e.currentTarget.value)} aria-label="Command to propose" />
      </label>
      <button type="submit">Propose</button>
    </ActionForm>
  );
}

function CopyLink() {
  const [note, setNote] = useState('');
  const copy = async () => setNote(await copyLink());
  return (
    <span className="copy-link">
      <button type="button" onClick={() => void copy()}>
        {pageCommand('copy-link').label}
      </button>
      <span className="muted small" role="status">
        {note}
      </span>
    </span>
  );
}

export function Toolbar() {
  return (
    <>
      <div className="toolbar">
        <LessonsButton />
        <PartitionButton />
        <CommandButton id="heal-all" />
        <CopyLink />
        <PresenterButton />
        <ToolsMenu />
      </div>
      <LessonGallery />
      <ScenarioFileLayers />
      <CompareDialog />
      <SweepDialog />
      <AbDialog />
    </>
  );
}

/** The focusable controls of the open menu, in order. */
function controlsOf(panel: HTMLElement | null): HTMLElement[] {
  if (!panel) return [];
  return [...panel.querySelectorAll<HTMLElement>('button, input, [tabindex="0"]')].filter((el) => !el.hasAttribute('disabled') && el.getClientRects().length > 0);
}

function ToolsMenu() {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const focusAt = (index: number) => {
    const controls = controlsOf(panel.current);
    if (controls.length === 0) return;
    controls[(index + controls.length) % controls.length]!.focus();
  };
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };
  // A click anywhere outside the menu closes it.
  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!panel.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    addEventListener('pointerdown', onPointerDown);
    return () => removeEventListener('pointerdown', onPointerDown);
  }, [open]);
  const onButtonKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key === 'ArrowDown' || ((event.key === 'Enter' || event.key === ' ') && !open)) {
      event.preventDefault();
      event.stopPropagation();
      setOpen(true);
      requestAnimationFrame(() => focusAt(0));
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      close(true);
    }
  };
  const onPanelKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const controls = controlsOf(panel.current);
    const at = controls.indexOf(document.activeElement as HTMLElement);
    const inText = document.activeElement instanceof HTMLInputElement && document.activeElement.type === 'text';
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close(true);
    } else if (event.key === 'ArrowDown' || (event.key === 'ArrowRight' && !inText)) {
      event.preventDefault();
      focusAt(at + 1);
    } else if (event.key === 'ArrowUp' || (event.key === 'ArrowLeft' && !inText)) {
      event.preventDefault();
      focusAt(at - 1);
    } else if (event.key === 'Home' && !inText) {
      event.preventDefault();
      focusAt(0);
    } else if (event.key === 'End' && !inText) {
      event.preventDefault();
      focusAt(controls.length - 1);
    }
  };
  return (
    <div className="tools-menu">
      <button
        ref={button}
        type="button"
        className="tools-button"
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls="tools-panel"
        onClick={() => setOpen((o) => !o)}
        onKeyDown={onButtonKey}
      >
        Tools <span aria-hidden="true">▾</span>
      </button>
      {/* Kept mounted while closed, so that a file being chosen or a dialog opened from it keeps its place. */}
      <div
        ref={panel}
        id="tools-panel"
        className="tools-bar"
        role="group"
        aria-label="More tools"
        hidden={!open}
        onKeyDown={onPanelKey}
        onClick={(event) => {
          // A tool used closes the menu, the focus back on Tools (a dialog the tool opens gives it back
          // there when it closes, not to the hidden item); typing a command does not.
          if ((event.target as HTMLElement).closest('button')) close(true);
        }}
      >
        <ProposeControl />
        <ScenarioFileControls />
        <CommandButton id="download-report" />
        <CommandButton id="download-trace" />
        <CompareButton />
        <AbButton />
        <SweepButton />
      </div>
    </div>
  );
}
