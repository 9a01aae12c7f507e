/**
 * A small, safe markdown subset for scenario descriptions: paragraphs, bullet lists, **bold**,
 * *italic*, `code` and [links](https://…). It returns plain data that the page turns into React
 * elements, so no input ever reaches the DOM as HTML. Whatever falls outside the subset
 * (raw HTML, images, links to anything but http/https) stays visible as the text it was.
 */

export type Inline =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'code'; readonly text: string }
  | { readonly kind: 'strong'; readonly children: readonly Inline[] }
  | { readonly kind: 'em'; readonly children: readonly Inline[] }
  | { readonly kind: 'link'; readonly href: string; readonly children: readonly Inline[] };

export type Block =
  | { readonly kind: 'paragraph'; readonly children: readonly Inline[] }
  | { readonly kind: 'list'; readonly items: readonly (readonly Inline[])[] };

/** Descriptions are a few paragraphs; a longer text is cut rather than parsed at length. */
export const MARKDOWN_CHARS_MAX = 8000;
/** Emphasis inside emphasis inside a link is plenty; deeper nesting is shown as text. */
const NESTING_MAX = 3;
const BULLET = /^\s*[-*]\s+/;
const LINK = /^\[([^\]\n]{1,300})\]\(([^()\s]{1,2000})\)/;

/** The address to open, or null unless it is an absolute http or https URL. */
export function safeHref(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}

function pushText(out: Inline[], text: string): void {
  const last = out[out.length - 1];
  if (last?.kind === 'text') out[out.length - 1] = { kind: 'text', text: last.text + text };
  else if (text) out.push({ kind: 'text', text });
}

/** The index of the closing `marker` after `from`, with something other than space inside. */
function closing(source: string, marker: string, from: number): number {
  let end = source.indexOf(marker, from);
  // A single `*` must not be half of a `**`.
  while (marker === '*' && end >= 0 && (source[end + 1] === '*' || source[end - 1] === '*')) end = source.indexOf(marker, end + 2);
  if (end <= from || source[from] === ' ' || source[end - 1] === ' ') return -1;
  return end;
}

export function parseInline(source: string, depth = 0, inLink = false): Inline[] {
  const out: Inline[] = [];
  let i = 0;
  while (i < source.length) {
    const rest = source.slice(i);
    if (rest[0] === '`') {
      const end = source.indexOf('`', i + 1);
      if (end > i + 1) {
        out.push({ kind: 'code', text: source.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    } else if (depth < NESTING_MAX && rest.startsWith('**')) {
      const end = closing(source, '**', i + 2);
      if (end > 0) {
        out.push({ kind: 'strong', children: parseInline(source.slice(i + 2, end), depth + 1, inLink) });
        i = end + 2;
        continue;
      }
    } else if (depth < NESTING_MAX && rest[0] === '*') {
      const end = closing(source, '*', i + 1);
      if (end > 0) {
        out.push({ kind: 'em', children: parseInline(source.slice(i + 1, end), depth + 1, inLink) });
        i = end + 1;
        continue;
      }
    } else if (depth < NESTING_MAX && !inLink && rest[0] === '[') {
      const match = LINK.exec(rest);
      const href = match ? safeHref(match[2]!) : null;
      if (match && href) {
        out.push({ kind: 'link', href, children: parseInline(match[1]!, depth + 1, true) });
        i += match[0].length;
        continue;
      }
      if (match) {
        // A link to anything but the web stays as the text the author wrote.
        pushText(out, match[0]);
        i += match[0].length;
        continue;
      }
    }
    pushText(out, source[i]!);
    i += 1;
  }
  return out;
}

/** Blocks: runs of bullet lines make a list, other runs of non-blank lines a paragraph. */
export function parseMarkdown(source: string): Block[] {
  const lines = source.slice(0, MARKDOWN_CHARS_MAX).replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let items: string[] = [];
  const flush = () => {
    if (paragraph.length > 0) blocks.push({ kind: 'paragraph', children: parseInline(paragraph.join(' ')) });
    if (items.length > 0) blocks.push({ kind: 'list', items: items.map((item) => parseInline(item)) });
    paragraph = [];
    items = [];
  };
  for (const line of lines) {
    const trimmed = line.trim();
    if (!trimmed) {
      flush();
    } else if (BULLET.test(line) && !/^\s*\*\*/.test(line)) {
      if (paragraph.length > 0) flush();
      items.push(line.replace(BULLET, '').trim());
    } else if (items.length > 0 && /^\s+/.test(line)) {
      items[items.length - 1] += ` ${trimmed}`; // an indented continuation of the last item
    } else {
      if (items.length > 0) flush();
      paragraph.push(trimmed);
    }
  }
  flush();
  return blocks;
}
