/**
 * One input per kind of field. Each has a visible label, a hint with its bounds and default, and
 * its errors right under it, tied to the input with aria-describedby so a screen reader reads
 * them with the field.
 */
import { useId } from 'react';
import { formatPath, type ScenarioError } from '../../sim';
import { factsOf, hintOf, type Field, type Path } from './fields';
import { readBool, readInput, readRange, writeBool, writeInput, writeRangeEnd, type JsonObject } from './form';

/** The id of a field's (first) input, so that an error in the JSON pane can take the focus there. */
export function fieldId(path: Path): string {
  return idForPrinted(formatPath(path));
}

/** The same id from a path as errors print it (`settings.healthCheck.intervalMs`). */
export function idForPrinted(printed: string): string {
  return `ed-${printed.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

export interface FieldProps {
  readonly field: Field;
  readonly doc: JsonObject | null;
  readonly errors: readonly ScenarioError[];
  readonly onChange: (doc: JsonObject) => void;
}

export function ErrorList({ id, errors }: { readonly id: string; readonly errors: readonly ScenarioError[] }) {
  if (errors.length === 0) return null;
  return (
    <ul id={id} className="ed-errors">
      {errors.map((e, i) => (
        <li key={i}>
          <span aria-hidden="true">⚠ </span>
          <code>{e.path}</code>: {e.message}
        </li>
      ))}
    </ul>
  );
}

interface FieldIds {
  readonly hint: string;
  readonly errors: string;
  readonly label: string;
}

/** The ids that tie a field's input to its label, its hint and its errors. */
function useFieldIds(): FieldIds {
  const base = useId();
  return { hint: `${base}-hint`, errors: `${base}-errors`, label: `${base}-label` };
}

function describedBy(ids: FieldIds, errors: readonly ScenarioError[]): string {
  return errors.length > 0 ? `${ids.errors} ${ids.hint}` : ids.hint;
}

/** Under every field: its errors (when there are any), then the hint with its default and bounds. */
function FieldFoot({ ids, field, errors }: { readonly ids: FieldIds; readonly field: FieldProps['field']; readonly errors: readonly ScenarioError[] }) {
  return (
    <>
      <ErrorList id={ids.errors} errors={errors} />
      <p id={ids.hint} className="ed-hint">
        {hintOf(field, factsOf(field))}
      </p>
    </>
  );
}

function Unit({ unit }: { readonly unit: string | undefined }) {
  return unit ? <span className="ed-unit">{unit}</span> : null;
}

function TextInput({ field, doc, errors, onChange }: FieldProps) {
  const facts = factsOf(field);
  const ids = useFieldIds();
  const numeric = field.kind === 'int' || field.kind === 'number';
  return (
    <div className={`ed-field${errors.length > 0 ? ' is-invalid' : ''}`}>
      <label htmlFor={fieldId(field.path)}>{field.label}</label>
      <span className="ed-input">
        <input
          id={fieldId(field.path)}
          type="text"
          inputMode={field.kind === 'int' ? 'numeric' : field.kind === 'number' ? 'decimal' : undefined}
          className={numeric ? 'ed-number' : undefined}
          value={readInput(doc, field)}
          placeholder={facts.defaultValue === undefined || facts.defaultValue === null ? '' : String(facts.defaultValue)}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={errors.length > 0}
          aria-describedby={describedBy(ids, errors)}
          onChange={(e) => doc && onChange(writeInput(doc, field, e.currentTarget.value))}
        />
        <Unit unit={field.unit} />
      </span>
      <FieldFoot ids={ids} field={field} errors={errors} />
    </div>
  );
}

function BoolInput({ field, doc, errors, onChange }: FieldProps) {
  const ids = useFieldIds();
  return (
    <div className={`ed-field ed-bool${errors.length > 0 ? ' is-invalid' : ''}`}>
      <label>
        <input
          id={fieldId(field.path)}
          type="checkbox"
          checked={readBool(doc, field)}
          aria-invalid={errors.length > 0}
          aria-describedby={describedBy(ids, errors)}
          onChange={(e) => doc && onChange(writeBool(doc, field, e.currentTarget.checked))}
        />
        {field.label}
      </label>
      <FieldFoot ids={ids} field={field} errors={errors} />
    </div>
  );
}

function ChoiceInput({ field, doc, errors, onChange }: FieldProps) {
  const facts = factsOf(field);
  const ids = useFieldIds();
  const raw = readInput(doc, field);
  const value = raw === '' ? String(facts.defaultValue) : raw;
  // A value the format does not know still shows (and is reported) rather than silently becoming the first choice.
  const choices = facts.choices.includes(value) ? facts.choices : [...facts.choices, value];
  return (
    <div className={`ed-field${errors.length > 0 ? ' is-invalid' : ''}`}>
      <label htmlFor={fieldId(field.path)}>{field.label}</label>
      <select
        id={fieldId(field.path)}
        value={value}
        aria-invalid={errors.length > 0}
        aria-describedby={describedBy(ids, errors)}
        onChange={(e) => doc && onChange(writeInput(doc, field, e.currentTarget.value))}
      >
        {choices.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
      <FieldFoot ids={ids} field={field} errors={errors} />
    </div>
  );
}

function RangeInput({ field, doc, errors, onChange }: FieldProps) {
  const facts = factsOf(field);
  const ids = useFieldIds();
  const [low, high] = readRange(doc, field);
  const defaults = Array.isArray(facts.defaultValue) ? (facts.defaultValue as readonly unknown[]) : [];
  const end = (which: 0 | 1, text: string, name: string) => (
    <input
      id={which === 0 ? fieldId(field.path) : `${fieldId(field.path)}-max`}
      type="text"
      inputMode="numeric"
      className="ed-number"
      value={text}
      placeholder={defaults[which] === undefined ? '' : String(defaults[which])}
      spellCheck={false}
      autoComplete="off"
      aria-label={`${field.label}, ${name}`}
      aria-invalid={errors.length > 0}
      aria-describedby={describedBy(ids, errors)}
      onChange={(e) => doc && onChange(writeRangeEnd(doc, field, which, e.currentTarget.value))}
    />
  );
  return (
    <div className={`ed-field${errors.length > 0 ? ' is-invalid' : ''}`} role="group" aria-labelledby={ids.label}>
      <span id={ids.label} className="ed-label">
        {field.label}
      </span>
      <span className="ed-input">
        {end(0, low, 'minimum')}
        <span aria-hidden="true">to</span>
        {end(1, high, 'maximum')}
        <Unit unit={field.unit} />
      </span>
      <FieldFoot ids={ids} field={field} errors={errors} />
    </div>
  );
}

export function FieldInput(props: FieldProps) {
  switch (props.field.kind) {
    case 'bool':
      return <BoolInput {...props} />;
    case 'choice':
      return <ChoiceInput {...props} />;
    case 'range':
      return <RangeInput {...props} />;
    default:
      return <TextInput {...props} />;
  }
}
