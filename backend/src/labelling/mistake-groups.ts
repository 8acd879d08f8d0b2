import type { ItemFeedbackView } from '@aitrainer/contracts';

export interface MistakeGroup {
  /** `missed PER`, `wrong 正面 -> 负面`, `extra LOC`, ... */
  key: string;
  count: number;
  /** Up to three item ids where it happened. */
  examples: string[];
}

const str = (v: unknown): string => (v === null || v === undefined ? '∅' : typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');

/** What a feedback entry is about: its label, type, name, or the expected -> got pair. */
function describe(entry: unknown): string {
  if (typeof entry !== 'object' || entry === null) return str(entry) || 'item';
  const e = entry as Record<string, unknown>;
  if ('expected' in e || 'got' in e) {
    const prefix = typeof e['kind'] === 'string' ? `${e['kind']} ` : typeof e['name'] === 'string' ? `${e['name']} ` : '';
    const fmt = (v: unknown) => (Array.isArray(v) ? v.map(str).join('+') : typeof v === 'object' && v !== null ? str((v as Record<string, unknown>)['label'] ?? (v as Record<string, unknown>)['type']) : str(v));
    return `${prefix}${fmt(e['expected'])} -> ${fmt(e['got'])}`.trim();
  }
  for (const k of ['type', 'label', 'name', 'flag']) if (typeof e[k] === 'string') return e[k] as string;
  return 'item';
}

/**
 * The candidate's mistakes grouped by kind (missed / wrong / extra) and label, most frequent first: the material
 * the explanation job sends to the model. Pure and deterministic, so the grouping shown is the grouping explained.
 */
export function mistakeGroups(items: ItemFeedbackView[], limit = 6): MistakeGroup[] {
  const groups = new Map<string, MistakeGroup>();
  const add = (key: string, itemId: string) => {
    const g = groups.get(key) ?? { key, count: 0, examples: [] };
    g.count += 1;
    if (g.examples.length < 3 && !g.examples.includes(itemId)) g.examples.push(itemId);
    groups.set(key, g);
  };
  for (const item of items) {
    for (const kind of ['missed', 'wrong', 'extra'] as const) for (const entry of item[kind] ?? []) add(`${kind} ${describe(entry)}`, item.itemId);
    if (!item.correct && !item.missed?.length && !item.wrong?.length && !item.extra?.length) add('incorrect item', item.itemId);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)).slice(0, limit);
}
