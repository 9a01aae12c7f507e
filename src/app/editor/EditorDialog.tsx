/**
 * "Edit scenario": the topology, settings and workload as a form, and beside it the whole
 * scenario as JSON. Both edit the same text, validated live by the same parser as links and
 * files, with each error beside its field and listed over the JSON. Apply reopens the run with
 * the edits (recorded clicks kept while they still fit); Cancel or Escape leave the run as it
 * was. A native modal <dialog> keeps the rest of the page inert and the page's shortcuts quiet.
 */
import { useModalDialog } from '../components/shell/use-modal-dialog';
import { useId, useMemo, type KeyboardEvent, type ReactNode } from 'react';
import { DEFAULT_BACKUPS, DEFAULT_DATABASE, DEFAULT_STANDBY, formatPath, type ScenarioError } from '../../sim';
import {
  BACKUP_FIELDS,
  DATABASE_FIELDS,
  SCENARIO_FIELDS,
  SETTINGS_SECTIONS,
  TOPOLOGY_FIELDS,
  WORKLOAD_FIELDS,
  formFields,
  standbyFields,
  standbysMax,
  valueAt,
  type Field,
  type Path,
  type Section,
} from './fields';
import { applicable, checkText, formPaths, placeErrors, setAt, toText, type Applicable, type JsonObject } from './form';
import { ErrorList, FieldInput, fieldId, idForPrinted } from './FormFields';
import { applyEditor, cancelEditor, discardDraft, editText, restoreDraft, useEditor } from './editor-store';
import './editor.css';

type Placed = ReadonlyMap<string, readonly ScenarioError[]>;

const NONE: readonly ScenarioError[] = [];

function errorsOf(placed: Placed, path: Path): readonly ScenarioError[] {
  return placed.get(formatPath(path)) ?? NONE;
}

/** A copy of a frozen default, to put into the edited object. */
function fresh<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function listAt(doc: JsonObject | null, path: Path): readonly unknown[] {
  const value = valueAt(doc, path);
  return Array.isArray(value) ? value : [];
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The fields drawn for this object: the database's and the backups' only while they are on. */
function visibleFields(doc: JsonObject | null): readonly Field[] {
  return formFields({
    database: isObject(valueAt(doc, ['topology', 'database'])),
    standbys: listAt(doc, ['topology', 'database', 'standbys']).length,
    backups: isObject(valueAt(doc, ['topology', 'backups'])),
  });
}

/** For each error placed on an input of the form (a field, or the database or backups switch), that input's id. */
function errorTargets(placed: Placed, doc: JsonObject | null): ReadonlyMap<string, string> {
  const inputs = new Set([...visibleFields(doc).map((f) => formatPath(f.path)), 'topology.database', 'topology.backups']);
  const targets = new Map<string, string>();
  for (const [key, list] of placed) if (inputs.has(key)) for (const e of list) targets.set(e.path, idForPrinted(key));
  return targets;
}

interface PartProps {
  readonly doc: JsonObject | null;
  readonly placed: Placed;
  readonly change: (doc: JsonObject) => void;
}

function Fields({ fields, doc, placed, change }: PartProps & { readonly fields: readonly Field[] }) {
  return (
    <div className="ed-fields">
      {fields.map((field) => (
        <FieldInput key={formatPath(field.path)} field={field} doc={doc} errors={errorsOf(placed, field.path)} onChange={change} />
      ))}
    </div>
  );
}

/** A section's own errors (an unknown key, a rule on the whole object), then its fields. */
function SectionBlock({ section, ...part }: PartProps & { readonly section: Section }) {
  const errorsId = useId();
  // Settings are split into several blocks over one object: its own errors go to the first only.
  const own = section === SETTINGS_SECTIONS[0] || section.path[0] !== 'settings' || section.path.length > 1 ? errorsOf(part.placed, section.path) : NONE;
  return (
    <fieldset className="ed-section">
      <legend>{section.title}</legend>
      {section.path.length > 0 && <ErrorList id={errorsId} errors={own} />}
      <Fields fields={section.fields} {...part} />
    </fieldset>
  );
}

function Standbys({ doc, placed, change }: PartProps) {
  const path = ['topology', 'database', 'standbys'];
  const standbys = listAt(doc, path);
  const max = standbysMax();
  const errorsId = useId();
  return (
    <fieldset className="ed-subsection">
      <legend>Standbys ({standbys.length})</legend>
      <ErrorList id={errorsId} errors={errorsOf(placed, path)} />
      {standbys.length === 0 && <p className="ed-hint">No standbys: db-1 alone holds the data.</p>}
      <ol className="ed-standbys">
        {standbys.map((_, i) => (
          <li key={i}>
            <span className="ed-standby-name">db-{i + 2}</span>
            <Fields fields={standbyFields(i)} doc={doc} placed={placed} change={change} />
            <button
              type="button"
              className="quiet ed-remove"
              aria-label={`Remove standby db-${i + 2}`}
              onClick={() => doc && change(setAt(doc, path, standbys.filter((__, k) => k !== i)) as JsonObject)}
            >
              Remove
            </button>
          </li>
        ))}
      </ol>
      <button type="button" disabled={standbys.length >= max} onClick={() => doc && change(setAt(doc, path, [...standbys, fresh(DEFAULT_STANDBY)]) as JsonObject)}>
        Add a standby
      </button>
      <p className="ed-hint">
        db-2, db-3, … in this order; at most {max}.
      </p>
    </fieldset>
  );
}

/** A part of the topology that is either an object or null (off). */
function Switchable({ label, path, whenOn, doc, change, children }: PartProps & { readonly label: string; readonly path: Path; readonly whenOn: () => unknown; readonly children: ReactNode }) {
  const on = isObject(valueAt(doc, path));
  return (
    <div className="ed-switchable">
      <label className="ed-switch">
        <input type="checkbox" id={fieldId(path)} checked={on} onChange={(e) => doc && change(setAt(doc, path, e.currentTarget.checked ? whenOn() : null) as JsonObject)} />
        {label}
      </label>
      {on && children}
    </div>
  );
}

function TopologyBlock(part: PartProps) {
  const topologyErrors = useId();
  const databaseErrors = useId();
  const backupErrors = useId();
  return (
    <fieldset className="ed-section">
      <legend>{TOPOLOGY_FIELDS.title}</legend>
      <ErrorList id={topologyErrors} errors={[...errorsOf(part.placed, ['topology']), ...errorsOf(part.placed, ['topology', 'regions'])]} />
      <Fields fields={TOPOLOGY_FIELDS.fields} {...part} />
      <Switchable label="Database (db-1 starts as the primary)" path={['topology', 'database']} whenOn={() => fresh(DEFAULT_DATABASE)} {...part}>
        <ErrorList id={databaseErrors} errors={errorsOf(part.placed, ['topology', 'database'])} />
        <Standbys {...part} />
        <Fields fields={DATABASE_FIELDS} {...part} />
      </Switchable>
      <Switchable label="Backups" path={['topology', 'backups']} whenOn={() => fresh(DEFAULT_BACKUPS)} {...part}>
        <ErrorList id={backupErrors} errors={errorsOf(part.placed, ['topology', 'backups'])} />
        <Fields fields={BACKUP_FIELDS} {...part} />
      </Switchable>
    </fieldset>
  );
}

function EventsNote({ doc }: { readonly doc: JsonObject | null }) {
  const count = listAt(doc, ['events']).length;
  return (
    <p className="ed-hint ed-events-note">
      {count === 0 ? 'No events: nothing is scripted and nothing was clicked yet.' : `${count} event${count === 1 ? '' : 's'} (the script and your recorded clicks), kept as they are; edit them in the JSON.`}
    </p>
  );
}

function DroppedNote({ ready, doc }: { readonly ready: Applicable; readonly doc: JsonObject | null }) {
  if (!ready.ok || ready.dropped.length === 0) return null;
  const events = listAt(doc, ['events']);
  const said = ready.dropped.map((i) => {
    const e = events[i] as Record<string, unknown> | undefined;
    const what = e && typeof e.do === 'string' ? `${e.do}${typeof e.node === 'string' ? ` ${e.node}` : ''} at ${String(e.atMs)} ms` : 'an event';
    return `events[${i}] (${what})`;
  });
  return (
    <p className="ed-dropped" role="note">
      Apply leaves out {ready.dropped.length === 1 ? 'an event that no longer fits' : `${ready.dropped.length} events that no longer fit`} this scenario: {said.join(', ')}.
    </p>
  );
}

/** The JSON text, and every error in it with its path; an error whose field is in the form is a link to it. */
function JsonPane({ text, errors, targets }: { readonly text: string; readonly errors: readonly ScenarioError[]; readonly targets: ReadonlyMap<string, string> }) {
  const statusId = useId();
  const errorsId = useId();
  const textId = useId();
  const syntax = errors.length === 1 && errors[0]!.path === '(json)';
  return (
    <div className="ed-json">
      <label htmlFor={textId} className="ed-label">
        Scenario JSON
      </label>
      <p id={statusId} className={`ed-json-status${errors.length > 0 ? ' is-invalid' : ''}`}>
        {errors.length === 0 ? '✓ Valid scenario' : syntax ? 'The JSON cannot be read:' : `${errors.length} error${errors.length === 1 ? '' : 's'}:`}
      </p>
      {errors.length > 0 && (
        <ul id={errorsId} className="ed-errors ed-json-errors">
          {errors.map((e, i) => (
            <li key={i}>
              <span aria-hidden="true">⚠ </span>
              {targets.has(e.path) ? (
                <a
                  href={`#${targets.get(e.path)!}`}
                  onClick={(event) => {
                    event.preventDefault();
                    document.getElementById(targets.get(e.path)!)?.focus();
                  }}
                >
                  <code>{e.path}</code>
                </a>
              ) : (
                <code>{e.path}</code>
              )}
              : {e.message}
            </li>
          ))}
        </ul>
      )}
      <textarea
        id={textId}
        className="ed-textarea"
        value={text}
        spellCheck={false}
        autoComplete="off"
        autoCapitalize="off"
        wrap="off"
        aria-invalid={errors.length > 0}
        aria-describedby={errors.length > 0 ? `${statusId} ${errorsId}` : statusId}
        onChange={(e) => editText(e.currentTarget.value)}
      />
    </div>
  );
}

function RestoreBar() {
  const offered = useEditor((s) => s.offeredDraft);
  if (!offered) return null;
  return (
    <div className="ed-restore" role="note">
      <p>You had unsaved edits in this editor before the page was reloaded.</p>
      <button type="button" onClick={restoreDraft}>
        Restore them
      </button>
      <button type="button" className="quiet" onClick={discardDraft}>
        Discard
      </button>
    </div>
  );
}

function EditorBody({ titleId }: { readonly titleId: string }) {
  const text = useEditor((s) => s.text);
  const baseText = useEditor((s) => s.baseText);
  const checked = useMemo(() => checkText(text), [text]);
  const ready = useMemo(() => applicable(checked), [checked]);
  const { doc, result } = checked;
  const errors = result.ok ? NONE : result.errors;
  const placed = useMemo(() => placeErrors(errors, formPaths(visibleFields(doc))), [errors, doc]);
  const targets = useMemo(() => errorTargets(placed, doc), [placed, doc]);
  const change = (next: JsonObject) => editText(toText(next));
  const part: PartProps = { doc, placed, change };
  const general = placed.get('') ?? NONE;
  const generalId = useId();
  const statusId = useId();
  const changed = text !== baseText;
  const apply = () => {
    if (!applyEditor()) document.getElementById(statusId)?.focus();
  };
  return (
    <>
      <header className="ed-head">
        <h2 id={titleId}>Edit scenario</h2>
        <p className="ed-intro">The form and the JSON are one scenario: change either and the other follows. Apply restarts the run with it.</p>
      </header>
      <RestoreBar />
      <div className="ed-body">
        <div className="ed-form">
          {!doc && <p className="ed-blocked">The form follows the JSON again once the JSON can be read as an object.</p>}
          <fieldset className="ed-all" disabled={!doc}>
            <legend className="visually-hidden">Scenario form</legend>
            <ErrorList id={generalId} errors={doc ? general.filter((e) => e.path !== '(json)') : NONE} />
            <SectionBlock section={SCENARIO_FIELDS} {...part} />
            <TopologyBlock {...part} />
            {SETTINGS_SECTIONS.map((section) => (
              <SectionBlock key={section.title} section={section} {...part} />
            ))}
            <SectionBlock section={WORKLOAD_FIELDS} {...part} />
            <EventsNote doc={doc} />
          </fieldset>
        </div>
        <JsonPane text={text} errors={errors} targets={targets} />
      </div>
      <footer className="ed-foot">
        <p id={statusId} className={`ed-status${ready.ok ? '' : ' is-invalid'}`} tabIndex={-1} aria-live="polite">
          {ready.ok ? (changed ? 'Ready to apply.' : 'No changes yet.') : errors.length > 0 && errors[0]!.path === '(json)' ? 'Fix the JSON to apply.' : `Fix ${errors.length === 1 ? 'the error' : `the ${errors.length} errors`} to apply.`}
        </p>
        <DroppedNote ready={ready} doc={doc} />
        <div className="ed-buttons">
          <button type="button" onClick={cancelEditor}>
            Cancel
          </button>
          <button type="button" className="primary" onClick={apply} aria-describedby={statusId}>
            Apply
          </button>
        </div>
      </footer>
    </>
  );
}

/** Keeps Tab and Shift+Tab inside the dialog, wrapping at either end. */
function trapTab(event: KeyboardEvent<HTMLDialogElement>): void {
  if (event.key !== 'Tab') return;
  const focusable = [...event.currentTarget.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])')].filter(
    (el) => !el.matches(':disabled') && el.getClientRects().length > 0,
  );
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (!first || !last) return;
  if (event.shiftKey && document.activeElement === first) {
    last.focus();
    event.preventDefault();
  } else if (!event.shiftKey && document.activeElement === last) {
    first.focus();
    event.preventDefault();
  }
}

export function EditorDialog() {
  const open = useEditor((s) => s.open);
  const ref = useModalDialog(open);
  const titleId = useId();
  return (
    // Escape closes a modal dialog natively; `close` then cancels. Keys stay in the dialog: the
    // playground's shortcuts must not act on the run behind it.
    <dialog
      ref={ref}
      className="ed-dialog"
      aria-labelledby={titleId}
      onClose={cancelEditor}
      onKeyDown={(e) => {
        trapTab(e);
        e.stopPropagation();
      }}
    >
      {open && <EditorBody titleId={titleId} />}
    </dialog>
  );
}
