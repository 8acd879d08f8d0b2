import MarkdownIt from 'markdown-it';
import { hasControlCharacters } from './upload-names';

const SAFE_LINK = /^(https?:|mailto:)/i;
const RELATIVE = /^(#|\/(?!\/)|\.{0,2}\/)/;

/**
 * Lesson Markdown to HTML. Raw HTML is off (a `<script>` or `<img onerror>` stays visible text, escaped), and a
 * link or image must be http(s), mailto or relative: `javascript:`, `data:`, `vbscript:` and the like are left
 * as plain text. The portal's own sanitiser is a second line, not the first.
 */
const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });
md.validateLink = (url: string): boolean => {
  const trimmed = url.trim();
  // Control characters and whitespace inside a scheme ("java\tscript:") are how filters get fooled.
  if (hasControlCharacters(trimmed)) return false;
  return SAFE_LINK.test(trimmed) || RELATIVE.test(trimmed);
};

const defaultLinkOpen = md.renderer.rules['link_open'] ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules['link_open'] = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  const href = String(token.attrGet('href') ?? '');
  if (/^https?:/i.test(href)) {
    token.attrSet('target', '_blank');
    token.attrSet('rel', 'noopener noreferrer nofollow');
  }
  return defaultLinkOpen(tokens, idx, options, env, self);
};

export function renderLessonMarkdown(markdown: string): string {
  return md.render(markdown);
}
