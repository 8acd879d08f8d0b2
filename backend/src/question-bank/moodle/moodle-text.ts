import { Parser } from 'htmlparser2';
import MarkdownIt from 'markdown-it';

/**
 * Moodle's text formats (lib/weblib.php FORMAT_*): GIFT marks them `[html]`, `[moodle]`, `[markdown]`, `[plain]`
 * (question/format/gift/format.php format_name_to_const), Moodle XML as `format="html|moodle_auto_format|
 * markdown|plain_text"` (question/format/xml/format.php trans_format; an unknown name is taken as html).
 */
export type MoodleFormat = 'html' | 'moodle' | 'markdown' | 'plain';

export interface MoodleText {
  text: string;
  format: MoodleFormat;
}

/** What the bank stores: plain text, or sanitised HTML. */
export interface BankText {
  text: string;
  html: boolean;
  /** Tags or attributes the sanitiser removed (`script`, `onclick` ...), for the import report. */
  removed: string[];
}

const ALLOWED_TAGS = new Set([
  'p', 'br', 'b', 'strong', 'i', 'em', 'u', 's', 'sub', 'sup', 'span', 'div', 'code', 'pre', 'blockquote', 'hr',
  'ul', 'ol', 'li', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'caption', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'img', 'a', 'audio', 'video', 'source', 'figure', 'figcaption',
]);
const VOID_TAGS = new Set(['br', 'hr', 'img', 'source']);
/** Content dropped with the element (not shown as text either). */
const DROPPED_WITH_CONTENT = new Set(['script', 'style', 'iframe', 'object', 'embed', 'noscript', 'template', 'svg', 'math', 'head', 'title']);
const ALLOWED_ATTRIBUTES: Record<string, Set<string>> = {
  img: new Set(['src', 'alt', 'width', 'height', 'title']),
  a: new Set(['href', 'title']),
  audio: new Set(['src', 'controls']),
  video: new Set(['src', 'controls', 'width', 'height']),
  source: new Set(['src', 'type']),
  td: new Set(['colspan', 'rowspan']),
  th: new Set(['colspan', 'rowspan']),
  ol: new Set(['start']),
};
const SAFE_URL = /^(https?:\/\/|mailto:|@@PLUGINFILE@@\/)/i;

export const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * An allow-list HTML sanitiser: known formatting, tables, lists, images/audio/video/links whose URL is http(s),
 * mailto or a Moodle `@@PLUGINFILE@@/` file. Everything else is removed (scripts and styles with their content) and
 * named in `removed`. Text is re-escaped, so the output is always well-formed.
 */
export function sanitiseHtml(html: string): { html: string; removed: string[]; hasMarkup: boolean; text: string } {
  let out = '';
  let text = '';
  let dropDepth = 0;
  let hasMarkup = false;
  const removed = new Set<string>();
  const open: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (dropDepth > 0 || DROPPED_WITH_CONTENT.has(name)) {
          if (DROPPED_WITH_CONTENT.has(name)) removed.add(name);
          if (!VOID_TAGS.has(name)) dropDepth++;
          return;
        }
        if (!ALLOWED_TAGS.has(name)) {
          removed.add(name);
          return;
        }
        let attrs = '';
        for (const [key, value] of Object.entries(attributes)) {
          const allowed = ALLOWED_ATTRIBUTES[name]?.has(key) ?? false;
          const urlOk = !['src', 'href'].includes(key) || SAFE_URL.test(value.trim());
          if (allowed && urlOk) attrs += ` ${key}="${escapeHtml(value)}"`;
          else removed.add(`${name}[${key}]`);
        }
        hasMarkup = true;
        out += `<${name}${attrs}>`;
        if (name === 'br' || name === 'p' || name === 'li' || name === 'tr' || name === 'div') text += text && !text.endsWith('\n') ? '\n' : '';
        if (!VOID_TAGS.has(name)) open.push(name);
      },
      ontext(data) {
        if (dropDepth > 0) return;
        out += escapeHtml(data);
        text += data;
      },
      onclosetag(name) {
        if (dropDepth > 0) {
          if (!VOID_TAGS.has(name)) dropDepth--;
          return;
        }
        if (!ALLOWED_TAGS.has(name) || VOID_TAGS.has(name)) return;
        const at = open.lastIndexOf(name);
        if (at < 0) return;
        while (open.length > at) out += `</${open.pop()}>`;
      },
      oncomment() {
        /* comments are dropped silently: they are not content */
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  while (open.length) out += `</${open.pop()}>`;
  return { html: out.trim(), removed: [...removed], hasMarkup, text: text.replace(/\u00a0/g, ' ').trim() };
}

const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: false });

/**
 * A Moodle text as the bank stores it: `[html]` as sanitised HTML (plain text when it has no markup at all, e.g.
 * `<![CDATA[What is 2+2?]]>`), `[markdown]` rendered to HTML, `[plain]` and `[moodle]` as text.
 */
export function toBankText(t: MoodleText): BankText {
  if (t.format === 'plain' || t.format === 'moodle') return { text: t.text.trim(), html: false, removed: [] };
  const source = t.format === 'markdown' ? markdown.render(t.text) : t.text;
  const clean = sanitiseHtml(source);
  if (!clean.hasMarkup) return { text: clean.text, html: false, removed: clean.removed };
  return { text: clean.html, html: true, removed: clean.removed };
}
