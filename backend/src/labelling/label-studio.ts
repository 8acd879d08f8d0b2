import { codePointLength, sliceCodePoints, utf16IndexToCodePointOffset } from '@aitrainer/scoring';
import { isOpenTaskType, type AnswerValue, type ItemData, type LabellingTaskType, type LabelStudioResult, type LabelStudioTask } from '@aitrainer/contracts';
import { DatasetError, type SourceRecord } from './dataset-parser';
import { isExternalUrl, type Problem } from './task-definitions';

/**
 * Label Studio JSON (tasks with annotations) <-> dataset records. The gold answer is the annotation marked
 * `ground_truth`, else the first one. Mapping per task type (from_name / to_name / type):
 *   classification, multi-label: label/text/choices {choices}
 *   spans: label/text/labels {start, end, text, labels}; offsets in code points (as Label Studio stores them since
 *          its fix for astral characters); older exports in UTF-16 units are recognised by their `text` and converted
 *   boxes: label/image/rectanglelabels {x, y, width, height, rotation, rectanglelabels} in percent
 *   transcription: transcription/audio/textarea {text: [..]}; the machine transcript in data.transcript
 *   dialogue: intent/dialogue/choices; each slot a textarea named `slot:<name>`; turns in data.dialogue [{author, text}]
 *   ranking: rank/responses/ranker {ranker: {rank: [ids]}} for a strict order, or {tier_1: [..], tier_2: [..]} with ties
 *   data cleaning: flags/<text|image>/choices
 * Every task keeps our item id in data.item_id so an export imports again to the same items.
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function mediaName(value: unknown, media: ReadonlySet<string>): unknown {
  if (typeof value !== 'string') return value;
  // An export names files by URL (…/media/<name>); a file already uploaded is referred to by name again.
  const base = decodeURIComponent(value.split('?')[0].split('/').pop() ?? '');
  if (media.has(base)) return base;
  return value;
}

export function fromLabelStudio(taskType: LabellingTaskType, input: unknown, media: ReadonlySet<string>): SourceRecord[] {
  if (!Array.isArray(input)) throw new DatasetError([{ path: 'tasks', problem: 'must be a JSON array of Label Studio tasks' }]);
  if (isOpenTaskType(taskType)) throw new DatasetError([{ path: 'file', problem: `Label Studio import is not offered for ${taskType}: import the dataset as JSONL or CSV` }]);
  const problems: Problem[] = [];
  const records = input.map((task, i): SourceRecord => {
    const where = `tasks[${i}]`;
    const push = (path: string, problem: string) => problems.push({ path: `${where}.${path}`, problem });
    if (!isObj(task) || !isObj(task['data'])) {
      problems.push({ path: `${where}.data`, problem: 'must be an object' });
      return { where, record: {} };
    }
    const d = task['data'];
    const record: Obj = { id: d['item_id'] ?? task['id'] };
    switch (taskType) {
      case 'image_bounding_boxes':
        Object.assign(record, { image: mediaName(d['image'], media), width: d['width'], height: d['height'] });
        break;
      case 'transcription':
        Object.assign(record, { audio: mediaName(d['audio'], media), machineTranscript: d['transcript'] });
        break;
      case 'dialogue_intent_slots':
        record['turns'] = Array.isArray(d['dialogue'])
          ? d['dialogue'].map((t) => (isObj(t) ? { speaker: t['author'] === 'agent' ? 'agent' : t['author'] === 'user' ? 'user' : t['author'], text: t['text'] } : t))
          : d['dialogue'];
        break;
      case 'response_ranking':
        Object.assign(record, { prompt: d['prompt'], responses: d['responses'] });
        break;
      case 'data_cleaning':
        Object.assign(record, { text: d['text'], image: mediaName(d['image'], media), topic: d['topic'] });
        break;
      default:
        record['text'] = d['text'];
    }
    const annotations = task['annotations'];
    if (annotations !== undefined && !Array.isArray(annotations)) push('annotations', 'must be an array');
    else if (Array.isArray(annotations) && annotations.length > 0) {
      const index = Math.max(0, annotations.findIndex((a) => isObj(a) && a['ground_truth'] === true));
      const annotation = annotations[index];
      const at = `annotations[${index}].result`;
      if (!isObj(annotation) || !Array.isArray(annotation['result'])) push(at, 'must be an array');
      else {
        const gold = goldFromResults(taskType, annotation['result'], record, (path, problem) => push(`${at}${path}`, problem));
        if (gold !== undefined) record['gold'] = gold;
      }
    }
    return { where, record };
  });
  if (problems.length) throw new DatasetError(problems.slice(0, 50));
  return records;
}

function goldFromResults(taskType: LabellingTaskType, results: unknown[], record: Obj, fail: (path: string, problem: string) => void): unknown {
  const of = (type: string, fromName?: string) =>
    results
      .map((r, i) => ({ r, i }))
      .filter(({ r }) => isObj(r) && r['type'] === type && (fromName === undefined || r['from_name'] === fromName)) as { r: Obj; i: number }[];
  const value = (r: Obj, i: number): Obj | undefined => {
    if (isObj(r['value'])) return r['value'];
    fail(`[${i}].value`, 'must be an object');
    return undefined;
  };
  const choices = (fromName?: string): string[] =>
    of('choices', fromName).flatMap(({ r, i }) => {
      const v = value(r, i);
      if (!v) return [];
      if (!Array.isArray(v['choices'])) {
        fail(`[${i}].value.choices`, 'must be an array');
        return [];
      }
      return v['choices'] as string[];
    });
  switch (taskType) {
    case 'text_classification': {
      const c = choices();
      if (c.length !== 1) return fail('', `must hold exactly one choice for a single-label task, found ${c.length}`);
      return { label: c[0] };
    }
    case 'multi_label_classification':
      return { labels: choices() };
    case 'data_cleaning':
      return { flags: choices() };
    case 'named_entity_spans': {
      const text = typeof record['text'] === 'string' ? record['text'] : '';
      return {
        spans: of('labels').flatMap(({ r, i }) => {
          const v = value(r, i);
          if (!v) return [];
          const types = v['labels'];
          if (!Array.isArray(types) || types.length !== 1) {
            fail(`[${i}].value.labels`, 'must hold exactly one entity type');
            return [];
          }
          let start = v['start'] as number;
          let end = v['end'] as number;
          if (typeof v['text'] === 'string' && Number.isInteger(start) && Number.isInteger(end) && end <= codePointLength(text) + 1) {
            const byCodePoint = end <= codePointLength(text) && start >= 0 && start < end ? sliceCodePoints(text, start, end) : null;
            if (byCodePoint !== v['text']) {
              // Older Label Studio versions counted UTF-16 units: accept those when the text proves it.
              if (end <= text.length && start >= 0 && text.slice(start, end) === v['text']) {
                start = utf16IndexToCodePointOffset(text, start);
                end = utf16IndexToCodePointOffset(text, end);
              } else {
                fail(`[${i}].value.text`, `"${String(v['text'])}" is not the text between start and end`);
                return [];
              }
            }
          }
          return [{ start, end, type: types[0] }];
        }),
      };
    }
    case 'image_bounding_boxes':
      return {
        boxes: of('rectanglelabels').flatMap(({ r, i }) => {
          const v = value(r, i);
          if (!v) return [];
          const labels = v['rectanglelabels'];
          if (!Array.isArray(labels) || labels.length !== 1) {
            fail(`[${i}].value.rectanglelabels`, 'must hold exactly one label');
            return [];
          }
          if (v['rotation'] !== undefined && v['rotation'] !== 0) fail(`[${i}].value.rotation`, 'must be 0: rotated boxes are not supported');
          if (record['width'] === undefined && typeof r['original_width'] === 'number') record['width'] = r['original_width'];
          if (record['height'] === undefined && typeof r['original_height'] === 'number') record['height'] = r['original_height'];
          return [{ x: v['x'], y: v['y'], width: v['width'], height: v['height'], label: labels[0] }];
        }),
      };
    case 'transcription': {
      const texts = of('textarea').flatMap(({ r, i }) => {
        const v = value(r, i);
        return v && Array.isArray(v['text']) ? (v['text'] as string[]) : [];
      });
      return { text: texts.join('\n') };
    }
    case 'dialogue_intent_slots': {
      const c = choices('intent');
      if (c.length !== 1) return fail('', `must hold exactly one intent choice, found ${c.length}`);
      const slots = of('textarea').flatMap(({ r, i }) => {
        const name = String(r['from_name'] ?? '');
        if (!name.startsWith('slot:')) return [];
        const v = value(r, i);
        return v && Array.isArray(v['text']) ? (v['text'] as string[]).map((t) => ({ name: name.slice(5), value: t })) : [];
      });
      return { intent: c[0], slots };
    }
    case 'response_ranking': {
      const ranker = of('ranker')[0];
      if (!ranker) return undefined;
      const v = value(ranker.r, ranker.i);
      const lists = v && isObj(v['ranker']) ? (v['ranker'] as Record<string, unknown>) : undefined;
      if (!lists) return fail(`[${ranker.i}].value.ranker`, 'must be an object of lists');
      if (Array.isArray(lists['rank'])) return { ranking: (lists['rank'] as string[]).map((id) => [id]) };
      const tiers = Object.keys(lists)
        .filter((k) => /^tier_\d+$/.test(k))
        .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
      return { ranking: tiers.map((k) => lists[k]).filter((t) => Array.isArray(t) && t.length > 0) };
    }
  }
}

export function toLabelStudio(taskType: LabellingTaskType, mediaUrl: (name: string) => string, items: { externalId: string; position: number; data: ItemData; gold: AnswerValue | null }[]): LabelStudioTask[] {
  return items.map((item) => {
    const d = item.data;
    const url = (v: string | undefined) => (v === undefined ? undefined : isExternalUrl(v) ? v : mediaUrl(v));
    let data: Record<string, unknown>;
    let toName = 'text';
    switch (taskType) {
      case 'image_bounding_boxes':
        data = { image: url(d.image), width: d.width, height: d.height };
        toName = 'image';
        break;
      case 'transcription':
        data = { audio: url(d.audio), transcript: d.machineTranscript };
        toName = 'audio';
        break;
      case 'dialogue_intent_slots':
        data = { dialogue: (d.turns ?? []).map((t) => ({ author: t.speaker, text: t.text })) };
        toName = 'dialogue';
        break;
      case 'response_ranking':
        data = { prompt: d.prompt, responses: d.responses };
        toName = 'responses';
        break;
      case 'data_cleaning':
        data = { text: d.text, image: url(d.image), topic: d.topic };
        toName = d.image ? 'image' : 'text';
        break;
      case 'sft_writing':
      case 'preference_rationale':
      case 'guideline_writing':
      case 'error_review':
        // Open-ended work has no Label Studio control to carry its gold: the data is exported, the references are not.
        data = { ...d };
        break;
      default:
        data = { text: d.text };
    }
    data = Object.fromEntries(Object.entries({ ...data, item_id: item.externalId }).filter(([, v]) => v !== undefined));
    const task: LabelStudioTask = { id: item.position + 1, data, annotations: [] };
    if (item.gold && !isOpenTaskType(taskType)) task.annotations = [{ id: item.position + 1, ground_truth: true, result: goldToResults(taskType, item.gold, toName, d) }];
    return task;
  });
}

function goldToResults(taskType: LabellingTaskType, gold: AnswerValue, toName: string, d: ItemData): LabelStudioResult[] {
  const g = gold as Obj;
  let n = 0;
  const r = (fromName: string, type: string, value: Record<string, unknown>, extra: Partial<LabelStudioResult> = {}): LabelStudioResult => ({
    id: `r${++n}`,
    from_name: fromName,
    to_name: toName,
    type,
    value,
    ...extra,
  });
  switch (taskType) {
    case 'text_classification':
      return [r('label', 'choices', { choices: [g['label']] })];
    case 'multi_label_classification':
      return (g['labels'] as string[]).length ? [r('label', 'choices', { choices: g['labels'] })] : [];
    case 'data_cleaning':
      return (g['flags'] as string[]).length ? [r('flags', 'choices', { choices: g['flags'] })] : [];
    case 'named_entity_spans':
      return (g['spans'] as { start: number; end: number; type: string }[]).map((s) =>
        r('label', 'labels', { start: s.start, end: s.end, text: sliceCodePoints(d.text ?? '', s.start, s.end), labels: [s.type] }),
      );
    case 'image_bounding_boxes':
      return (g['boxes'] as { x: number; y: number; width: number; height: number; label: string }[]).map((b) =>
        r('label', 'rectanglelabels', { x: b.x, y: b.y, width: b.width, height: b.height, rotation: 0, rectanglelabels: [b.label] }, {
          ...(d.width !== undefined && { original_width: d.width }),
          ...(d.height !== undefined && { original_height: d.height }),
          image_rotation: 0,
        }),
      );
    case 'transcription':
      return [r('transcription', 'textarea', { text: [g['text']] })];
    case 'dialogue_intent_slots': {
      const bySlot = new Map<string, string[]>();
      for (const s of g['slots'] as { name: string; value: string }[]) bySlot.set(s.name, [...(bySlot.get(s.name) ?? []), s.value]);
      return [r('intent', 'choices', { choices: [g['intent']] }), ...[...bySlot].map(([name, values]) => r(`slot:${name}`, 'textarea', { text: values }))];
    }
    case 'response_ranking': {
      const tiers = g['ranking'] as string[][];
      const strict = tiers.every((t) => t.length === 1);
      const ranker = strict ? { rank: tiers.map((t) => t[0]) } : Object.fromEntries(tiers.map((t, i) => [`tier_${i + 1}`, t]));
      return [r('rank', 'ranker', { ranker })];
    }
    default:
      return [];
  }
}
