// Proves that scenario descriptions render only the safe markdown subset: hostile HTML, script and javascript: links come out as harmless text.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown } from '../../../src/app/markdown/Markdown';
import { parseMarkdown, safeHref } from '../../../src/app/markdown/parse';

function html(source: string): string {
  return renderToStaticMarkup(createElement(Markdown, { source }));
}

describe('the markdown subset', () => {
  it('renders paragraphs, bold, italic, code and bullet lists', () => {
    const out = html('The **leader** sends *heartbeats* every `100 ms`.\n\n- one\n- two *a* **b**');
    expect(out).toBe(
      '<div><p>The <strong>leader</strong> sends <em>heartbeats</em> every <code>100 ms</code>.</p>' +
        '<ul><li>one</li><li>two <em>a</em> <strong>b</strong></li></ul></div>',
    );
  });

  it('joins the lines of a paragraph and splits paragraphs at blank lines', () => {
    expect(parseMarkdown('one\ntwo\n\nthree').map((b) => b.kind)).toEqual(['paragraph', 'paragraph']);
    expect(html('one\ntwo')).toBe('<div><p>one two</p></div>');
  });

  it('opens http and https links in a new tab without an opener', () => {
    expect(html('See [the Raft paper](https://raft.github.io/raft.pdf).')).toBe(
      '<div><p>See <a href="https://raft.github.io/raft.pdf" target="_blank" rel="noopener noreferrer">the Raft paper</a>.</p></div>',
    );
  });

  it('shows a script tag as text, never as an element', () => {
    const out = html('<script>alert(1)</script> hello');
    expect(out).not.toContain('<script');
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt; hello');
  });

  it('shows an onerror attribute in an img tag as text', () => {
    const out = html('<img src=x onerror="alert(1)">');
    expect(out).not.toContain('<img');
    expect(out).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
  });

  it.each(['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<b>x</b>', 'vbscript:msgbox', '//evil.example/x', '/relative'])(
    'refuses to link to %s and keeps the source as text',
    (href) => {
      const out = html(`[click me](${href})`);
      expect(out).not.toContain('<a');
      expect(out).not.toContain('href=');
      expect(out).toContain('click me');
    },
  );

  it('does not let a link smuggle quotes or markup into its attributes', () => {
    const out = html('[x](https://example.com/"onmouseover="alert(1))');
    expect(out).not.toMatch(/ onmouseover=/);
    const link = html('[x](https://example.com/a"b)');
    expect(link).toContain('href="https://example.com/a%22b"');
  });

  it('keeps raw HTML inside bold, italic and link text as text', () => {
    const out = html('**<b onclick=x>hi</b>** *<iframe>* [<svg onload=alert(1)>](https://example.com)');
    expect(out).not.toMatch(/<(b|iframe|svg)[ >]/);
    expect(out).toContain('&lt;svg onload=alert(1)&gt;');
  });

  it('leaves unclosed markers and images as the text they were', () => {
    expect(html('a **b and `c')).toBe('<div><p>a **b and `c</p></div>');
    expect(html('![alt](https://example.com/x.png)')).toContain('!<a');
  });

  it('accepts only absolute http and https addresses', () => {
    expect(safeHref('https://example.com')).toBe('https://example.com/');
    expect(safeHref('http://example.com/a?b=1')).toBe('http://example.com/a?b=1');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('ftp://example.com')).toBeNull();
    expect(safeHref('not a url')).toBeNull();
  });

  it('survives pathological input quickly', () => {
    const started = performance.now();
    html('*'.repeat(5000) + '['.repeat(2000) + '`'.repeat(1000));
    html('**'.repeat(3000));
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
