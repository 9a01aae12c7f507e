/**
 * What to say about a scenario text too long to parse: which top-level field holds most of it.
 * A file of 100 000 events is refused for its size before it is parsed, yet its author needs to
 * hear "events", not only a character count. This reads the text once, without building
 * anything, keeping only the top-level keys and how much text each value spans; a text cut
 * short (only the first part of a huge file was read) works as well.
 */

export interface LargestField {
  readonly key: string;
  /** Characters its value spans (in the text given). */
  readonly chars: number;
  /** Entries of its value, when it is a list (a lower bound when the text was cut short). */
  readonly entries: number | null;
}

const KEY_CHARS_KEPT = 64;

export function largestTopLevelField(text: string): LargestField | null {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let key = '';
  let readingKey = false;
  let expectKey = false;
  let valueStart = -1;
  let entries: number | null = null;
  let sawEntry = false;
  let largest: LargestField | null = null;
  const endValue = (at: number): void => {
    if (valueStart < 0) return;
    const chars = at - valueStart;
    const count = entries === null ? null : entries + (sawEntry ? 1 : 0);
    if (largest === null || chars > largest.chars) largest = { key, chars, entries: count };
    valueStart = -1;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (escaped) escaped = false;
      else if (c === 0x5c) escaped = true;
      else if (c === 0x22) inString = false;
      else if (readingKey && key.length < KEY_CHARS_KEPT) key += text[i];
      if (!inString) readingKey = false;
      continue;
    }
    if (c === 0x22) {
      inString = true;
      if (depth === 1 && expectKey) {
        readingKey = true;
        expectKey = false;
        key = '';
      }
      if (depth === 2 && entries !== null) sawEntry = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (depth === 1 && c === 0x5b && valueStart >= 0) entries = 0;
      else if (depth === 2 && entries !== null) sawEntry = true;
      depth++;
      if (depth === 1) {
        if (c !== 0x7b) return null;
        expectKey = true;
      }
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 0) endValue(i);
    } else if (c === 0x3a && depth === 1) {
      valueStart = i + 1;
      entries = null;
      sawEntry = false;
    } else if (c === 0x2c) {
      if (depth === 1) {
        endValue(i);
        expectKey = true;
      } else if (depth === 2 && entries !== null && sawEntry) {
        entries++;
        sawEntry = false;
      }
    } else if (depth === 2 && entries !== null && c > 0x20) sawEntry = true;
  }
  endValue(text.length);
  return largest;
}
