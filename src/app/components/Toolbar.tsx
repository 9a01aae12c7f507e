/** Scenario picker, the partition tool, `Heal all`, `Propose`, `Copy link`, `Download report`. */
import { useEffect, useState } from 'react';
import { commands, fetchScenarioList, openPreset, type ScenarioListing } from '../store/engine';
import { useSim } from '../store/sim-store';
import { PartitionButton } from './PartitionTool';
import { CompareButton } from '../compare/CompareDialog';
import { PresenterButton } from '../presenter/PresenterButton';
import { ScenarioFileControls } from '../editor/ScenarioFiles';

function ScenarioPicker() {
  const [list, setList] = useState<ScenarioListing[]>([]);
  const title = useSim((s) => s.info?.title ?? '');
  useEffect(() => {
    void fetchScenarioList().then(setList);
  }, []);
  if (list.length === 0) return null;
  return (
    <label className="scenario-picker">
      <span>Scenario</span>
      <select
        value=""
        onChange={(e) => {
          if (e.currentTarget.value) void openPreset(e.currentTarget.value);
        }}
      >
        <option value="">{title ? 'Open another scenario…' : 'Open a scenario…'}</option>
        {list.map((s) => (
          <option key={s.id} value={s.id}>
            {s.title}
          </option>
        ))}
      </select>
    </label>
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
      setNote('Link copied: it replays this run, your clicks included.');
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
    <div className="toolbar">
      <ScenarioPicker />
      <PartitionButton />
      <button type="button" onClick={() => commands.act({ do: 'heal' })} title="Heal every partition and cut link (h)">
        Heal all
      </button>
      <ProposeControl />
      <CopyLink />
      <ScenarioFileControls />
      <button type="button" onClick={() => commands.downloadReport()} title="The JSON report of this run played to its end, the same as npm run sim --json prints">
        Download report
      </button>
      <button type="button" onClick={() => commands.downloadTrace()} title="Every step of this run, one JSON object per line, the same as npm run sim --trace writes">
        Download trace
      </button>
      <CompareButton />
      <PresenterButton />
    </div>
  );
}
