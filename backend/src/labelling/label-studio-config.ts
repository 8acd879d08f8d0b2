import { problemAt } from '@aitrainer/scoring';
import type { Problem } from './task-definitions';

/**
 * Label Studio's labelling config (the project's XML): which controls (Choices, Labels, RectangleLabels, TextArea,
 * Ranker, Pairwise, Rating…) exist, what they are named, which object tags (Text, Image, Audio, Paragraphs, List…)
 * they point to, and which `data` key each object reads (`value="$key"`). Only tags and attributes are needed, so
 * a small tokenizer reads it: comments, CDATA and text between tags are skipped.
 */

export interface LsControl {
  name: string;
  /** Tag name in lower case, as results name their `type` (`choices`, `rectanglelabels`, `textarea`…). */
  type: string;
  toName: string[];
  /** `<Choice value>` / `<Label value>` children, in order. */
  values: string[];
  /** Ranker `<Bucket name>` children, in order. */
  buckets: string[];
  attrs: Record<string, string>;
}

export interface LsObject {
  name: string;
  type: string;
  /** The data key (`$text` → `text`), when the value names one. */
  dataKey: string | null;
  attrs: Record<string, string>;
}

export interface LsConfig {
  xml: string;
  controls: LsControl[];
  objects: LsObject[];
}

const OBJECT_TAGS = new Set(['text', 'hypertext', 'image', 'audio', 'audioplus', 'video', 'paragraphs', 'list', 'table', 'timeseries', 'pdf', 'markdown']);
const CONTROL_TAGS = new Set([
  'choices', 'labels', 'rectanglelabels', 'rectangle', 'textarea', 'ranker', 'pairwise', 'rating', 'number', 'taxonomy', 'polygonlabels',
  'keypointlabels', 'brushlabels', 'ellipselabels', 'hypertextlabels', 'paragraphlabels', 'timeserieslabels', 'relations', 'datetime',
]);
const CHILD_VALUE_TAGS = new Set(['choice', 'label']);

const unescape = (s: string) =>
  s.replace(/&(lt|gt|quot|apos|amp|#\d+|#x[0-9a-f]+);/gi, (m, e: string) => {
    const k = e.toLowerCase();
    if (k === 'lt') return '<';
    if (k === 'gt') return '>';
    if (k === 'quot') return '"';
    if (k === 'apos') return "'";
    if (k === 'amp') return '&';
    const code = k.startsWith('#x') ? parseInt(k.slice(2), 16) : parseInt(k.slice(1), 10);
    return Number.isFinite(code) ? String.fromCodePoint(code) : m;
  });

/** Parses the config; problems name the config (`config`) and what is wrong with it. */
export function parseLabelConfig(xml: string): { config?: LsConfig; problems: Problem[] } {
  const body = xml.replace(/^\uFEFF/, '').replace(/<!--[\s\S]*?-->/g, '').replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '').replace(/<\?[\s\S]*?\?>/g, '');
  if (!/<view[\s>]/i.test(body)) return { problems: [problemAt('config', 'LS_NOT_A_CONFIG')] };
  const controls: LsControl[] = [];
  const objects: LsObject[] = [];
  const stack: (LsControl | null)[] = [];
  const tag = /<(\/?)([A-Za-z][\w.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
  let m: RegExpExecArray | null;
  while ((m = tag.exec(body))) {
    const [, closing, rawName, rawAttrs, selfClosing] = m;
    const name = rawName.toLowerCase();
    if (closing) {
      if (CONTROL_TAGS.has(name)) stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of rawAttrs.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attrs[a[1]] = unescape(a[2] ?? a[3] ?? '');
    const parent = stack[stack.length - 1];
    if (CONTROL_TAGS.has(name) && attrs['name']) {
      const control: LsControl = { name: attrs['name'], type: name, toName: (attrs['toName'] ?? '').split(',').map((s) => s.trim()).filter(Boolean), values: [], buckets: [], attrs };
      controls.push(control);
      if (!selfClosing) stack.push(control);
    } else if (CONTROL_TAGS.has(name) && !selfClosing) stack.push(null);
    else if (OBJECT_TAGS.has(name) && attrs['name']) {
      const value = attrs['value'] ?? '';
      objects.push({ name: attrs['name'], type: name, dataKey: value.startsWith('$') ? value.slice(1) : null, attrs });
    } else if (parent && CHILD_VALUE_TAGS.has(name) && (attrs['value'] ?? attrs['alias']) !== undefined) parent.values.push(attrs['value'] ?? attrs['alias']);
    else if (parent && name === 'bucket' && attrs['name']) parent.buckets.push(attrs['name']);
  }
  const problems: Problem[] = [];
  const names = new Set<string>();
  for (const c of [...controls, ...objects]) {
    if (names.has(c.name)) problems.push(problemAt(`config.${c.name}`, 'LS_NAME_TWICE'));
    names.add(c.name);
  }
  for (const c of controls)
    for (const to of c.toName) if (!objects.some((o) => o.name === to)) problems.push(problemAt(`config.${c.name}.toName`, 'LS_TO_NAME_UNKNOWN', { target: to }));
  if (controls.length === 0) problems.push(problemAt('config', 'LS_NO_CONTROL'));
  return problems.length ? { problems } : { config: { xml, controls, objects }, problems };
}

export const control = (config: LsConfig | undefined, name: string) => config?.controls.find((c) => c.name === name);
export const object = (config: LsConfig | undefined, name: string) => config?.objects.find((o) => o.name === name);
