/**
 * The header's two rows. The first holds what a learner needs: the lessons, the partition tool,
 * `Heal all`, `Copy link` and presenter mode. The second, quieter row holds the tools: `Propose`,
 * scenario files and the editor, downloads and the strategy comparison.
 */
import { useState } from 'react';
import { commands } from '../store/engine';
import { LessonGallery, LessonsButton } from '../lessons/LessonGallery';
import { PartitionButton } from './PartitionTool';
import { CompareButton } from '../compare/CompareDialog';
import { PresenterButton } from '../presenter/PresenterButton';
import { ScenarioFileControls } from '../editor/ScenarioFiles';

function ProposeControl() {
  const [count, setCount] = useState(1);
  const [cmd, setCmd] = useState('');
  const propose = () => {
    commands.act({ do: 'propose', cmd: cmd.trim() || `set x=${count}` });
    setCount((c) => c + 1);
    setCmd('');
  };
  return (
    <form
      className="propose"
      onSubmit={(e) => {
        e.preventDefault();
        propose();
      }}
    >
      <label>
        <span className="visually-hidden">Command</span>
        <input type="text" value={cmd} placeholder={`set x=${count}`} maxLength={60} onChange={(e) => setCmd(e.currentTarget.value)} aria-label="Command to propose" />
      </label>
      <button type="submit">Propose</button>
    </form>
  );
}

function CopyLink() {
  const [note, setNote] = useState('');
  const copy = async () => {
    const url = await commands.makeLink();
    try {
      await navigator.clipboard.writeText(url);
      setNote('Link copied: it replays this run, your clicks included, and opens paused at this moment.');
    } catch {
      setNote('Copying is blocked here; the address bar now holds the link.');
    }
  };
  return (
    <span className="copy-link">
      <button type="button" onClick={() => void copy()}>
        Copy link
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
        <button type="button" onClick={() => commands.act({ do: 'heal' })} title="Heal every partition and cut link (h)">
          Heal all
        </button>
        <CopyLink />
        <PresenterButton />
      </div>
      <LessonGallery />
      <ToolsBar />
    </>
  );
}

function ToolsBar() {
  return (
    <div className="tools-bar" role="group" aria-label="More tools">
      <span className="tools-title" aria-hidden="true">
        Tools:
      </span>
      <ProposeControl />
      <ScenarioFileControls />
      <button type="button" onClick={() => commands.downloadReport()} title="The JSON report of this run played to its end, the same as npm run sim --json prints">
        Download report
      </button>
      <button type="button" onClick={() => commands.downloadTrace()} title="Every step of this run, one JSON object per line, the same as npm run sim --trace writes">
        Download trace
      </button>
      <CompareButton />
    </div>
  );
}
