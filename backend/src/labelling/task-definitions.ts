import type { FieldProblem as ApiFieldProblem } from '@aitrainer/contracts';
import { problemAt, scorers, type FieldProblem, type TaskType } from '@aitrainer/scoring';
import { isOpenTaskType, type AnswerValue, type ExerciseLabels, type ExerciseScoringOptions, type ItemData, type LabellingTaskType } from '@aitrainer/contracts';
import { canonicalOpenValue, openAnswerProblems, openItemProblems } from './open-tasks';

/**
 * What each task type needs of an item and an answer, and how an item becomes the item type of @aitrainer/scoring.
 * Pure functions: the dataset import, Label Studio import, autosave and the grading job all use them.
 */

export type Problem = FieldProblem;

/** A labelling problem as the API's field problem: under `field` (its path by default), with its code and params. */
export function toFieldProblem(p: Problem, field: string = p.path): ApiFieldProblem {
  return { field, problem: p.problem, ...(p.code && { code: p.code }), ...(p.params && { params: p.params }) };
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const isNonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** Label sets the task type needs at creation time. */
export function labelProblems(taskType: LabellingTaskType, labels: ExerciseLabels): Problem[] {
  const need = (key: keyof ExerciseLabels): Problem[] => {
    const list = labels[key];
    if (!list || list.length === 0) return [problemAt(key, 'LIST_REQUIRED_FOR_TASK', { taskType })];
    return [];
  };
  const out: Problem[] = [];
  for (const key of ['labels', 'entityTypes', 'intents', 'slotNames'] as const) {
    const list = labels[key];
    if (!list) continue;
    const seen = new Set<string>();
    list.forEach((v, i) => {
      if (!isNonEmpty(v) || v.length > 100) out.push(problemAt(`${key}[${i}]`, 'REQUIRED_WITHIN', { max: 100 }));
      else if (seen.has(v)) out.push(problemAt(`${key}[${i}]`, 'DUPLICATE_VALUE', { value: v }));
      seen.add(v);
    });
  }
  switch (taskType) {
    case 'text_classification':
    case 'multi_label_classification':
    case 'image_bounding_boxes':
    case 'error_review':
      return [...out, ...need('labels')];
    case 'named_entity_spans':
      return [...out, ...need('entityTypes')];
    case 'dialogue_intent_slots':
      return [...out, ...need('intents')];
    default:
      return out;
  }
}

/** Problems with one item's data (paths relative to the record). */
export function itemDataProblems(taskType: LabellingTaskType, data: ItemData): Problem[] {
  const p: Problem[] = [];
  const needText = () => {
    if (!isNonEmpty(data.text)) p.push(problemAt('text', 'REQUIRED_TEXT'));
    else if (data.text.length > 100_000) p.push(problemAt('text', 'TOO_LONG', { max: 100_000 }));
  };
  switch (taskType) {
    case 'text_classification':
    case 'multi_label_classification':
    case 'named_entity_spans':
      needText();
      break;
    case 'image_bounding_boxes':
      if (!isNonEmpty(data.image)) p.push(problemAt('image', 'IMAGE_FILE_REQUIRED'));
      for (const side of ['width', 'height'] as const) {
        const v = data[side];
        if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v > 0)) p.push(problemAt(side, 'PIXELS_FORMAT'));
      }
      break;
    case 'transcription':
      if (!isNonEmpty(data.audio)) p.push(problemAt('audio', 'AUDIO_FILE_REQUIRED'));
      if (data.machineTranscript !== undefined && !isStr(data.machineTranscript)) p.push(problemAt('machineTranscript', 'NOT_TEXT'));
      break;
    case 'dialogue_intent_slots':
      if (!Array.isArray(data.turns) || data.turns.length === 0) p.push(problemAt('turns', 'TURNS_FORMAT'));
      else
        data.turns.forEach((t, i) => {
          if (typeof t !== 'object' || t === null) return p.push(problemAt(`turns[${i}]`, 'TURN_FORMAT'));
          if (!isNonEmpty(t.speaker) || t.speaker.length > 100) p.push(problemAt(`turns[${i}].speaker`, 'REQUIRED_WITHIN', { max: 100 }));
          if (!isStr(t.text)) p.push(problemAt(`turns[${i}].text`, 'NOT_TEXT'));
          return undefined;
        });
      break;
    case 'response_ranking':
      if (!isStr(data.prompt)) p.push(problemAt('prompt', 'NOT_TEXT'));
      if (!Array.isArray(data.responses) || data.responses.length < 2) p.push(problemAt('responses', 'RESPONSES_FORMAT'));
      else {
        const seen = new Set<string>();
        data.responses.forEach((r, i) => {
          if (typeof r !== 'object' || r === null) return p.push(problemAt(`responses[${i}]`, 'RESPONSE_FORMAT'));
          if (!isNonEmpty(r.id)) p.push(problemAt(`responses[${i}].id`, 'REQUIRED_TEXT'));
          else if (seen.has(r.id)) p.push(problemAt(`responses[${i}].id`, 'DUPLICATE_VALUE', { value: r.id }));
          else seen.add(r.id);
          if (!isStr(r.text)) p.push(problemAt(`responses[${i}].text`, 'NOT_TEXT'));
          return undefined;
        });
      }
      break;
    case 'data_cleaning':
      if (!isNonEmpty(data.text) && !isNonEmpty(data.image)) p.push(problemAt('text', 'CLEANING_TEXT_OR_IMAGE'));
      break;
    case 'sft_writing':
    case 'preference_rationale':
    case 'guideline_writing':
    case 'error_review':
      p.push(...openItemProblems(taskType, data));
      break;
  }
  return p;
}

/** The item as @aitrainer/scoring's validators and scorers expect it. */
export function toScoringItem(taskType: LabellingTaskType, labels: ExerciseLabels, id: string, data: ItemData): unknown {
  switch (taskType) {
    case 'text_classification':
    case 'multi_label_classification':
      return { id, text: data.text ?? '', labels: labels.labels ?? [] };
    case 'named_entity_spans':
      return { id, text: data.text ?? '', entityTypes: labels.entityTypes ?? [] };
    case 'image_bounding_boxes':
      return { id, imageUrl: data.image ?? '', width: data.width ?? 0, height: data.height ?? 0, labels: labels.labels ?? [] };
    case 'transcription':
      return { id, audioUrl: data.audio, machineTranscript: data.machineTranscript };
    case 'dialogue_intent_slots':
      return { id, turns: data.turns ?? [], intents: labels.intents ?? [], slotNames: labels.slotNames ?? [] };
    case 'response_ranking':
      return { id, prompt: data.prompt ?? '', responses: data.responses ?? [] };
    case 'data_cleaning':
      return { id, mediaUrl: data.image, text: data.text, topic: data.topic };
    case 'sft_writing':
    case 'preference_rationale':
    case 'guideline_writing':
    case 'error_review':
      return { id, ...data };
  }
}

/** Keeps only the fields the task type's answer has, so stored answers and gold are clean JSON. */
export function canonicalValue(taskType: LabellingTaskType, value: unknown): AnswerValue {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const arr = (x: unknown) => (Array.isArray(x) ? x : x);
  switch (taskType) {
    case 'text_classification':
      return { label: v['label'] } as AnswerValue;
    case 'multi_label_classification':
      return { labels: arr(v['labels']) } as AnswerValue;
    case 'named_entity_spans':
      return {
        spans: Array.isArray(v['spans']) ? v['spans'].map((s) => (typeof s === 'object' && s !== null ? { start: s.start, end: s.end, type: s.type } : s)) : v['spans'],
      } as AnswerValue;
    case 'image_bounding_boxes':
      return {
        boxes: Array.isArray(v['boxes'])
          ? v['boxes'].map((b) =>
              typeof b === 'object' && b !== null
                ? { x: b.x, y: b.y, width: b.width, height: b.height, label: b.label, ...(typeof b.rotation === 'number' && b.rotation % 360 !== 0 && { rotation: b.rotation }) }
                : b,
            )
          : v['boxes'],
      } as AnswerValue;
    case 'transcription':
      return { text: v['text'] } as AnswerValue;
    case 'dialogue_intent_slots':
      return {
        intent: v['intent'],
        slots: Array.isArray(v['slots']) ? v['slots'].map((s) => (typeof s === 'object' && s !== null ? { name: s.name, value: s.value } : s)) : v['slots'],
      } as AnswerValue;
    case 'response_ranking':
      return { ranking: v['ranking'] } as AnswerValue;
    case 'data_cleaning':
      return { flags: arr(v['flags']) } as AnswerValue;
    case 'sft_writing':
    case 'preference_rationale':
    case 'guideline_writing':
    case 'error_review':
      return canonicalOpenValue(taskType, v);
  }
}

/** Problems with an answer (or gold) value for an item; paths start at `base`. */
export function answerProblems(taskType: LabellingTaskType, labels: ExerciseLabels, itemId: string, data: ItemData, value: unknown, base: string): Problem[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [problemAt(base, 'NOT_AN_OBJECT')];
  if (isOpenTaskType(taskType)) return openAnswerProblems(taskType, labels, data, value as Record<string, unknown>, base);
  const item = toScoringItem(taskType, labels, itemId, data);
  const scorer = scorers[taskType as TaskType] as { validateAnswer(answer: unknown, item?: unknown, path?: string): Problem[] };
  const problems = scorer.validateAnswer({ ...canonicalValue(taskType, value), itemId }, item, base);
  if (taskType === 'image_bounding_boxes') {
    // Boxes are stored in percent of the image (Label Studio's convention), so they must lie on the image.
    const boxes = (value as { boxes?: unknown }).boxes;
    if (Array.isArray(boxes))
      boxes.forEach((b, i) => {
        if (typeof b !== 'object' || b === null) return;
        const { x, y, width, height, rotation } = b as Record<string, number>;
        if (![x, y, width, height].every((n) => typeof n === 'number' && Number.isFinite(n))) return;
        if (typeof rotation === 'number' && rotation % 360 !== 0) {
          // A rotated box is anchored at its top-left corner, which must be on the image; its corners may turn past the edge.
          if (x < 0 || y < 0 || x > 100.0001 || y > 100.0001) problems.push(problemAt(`${base}.boxes[${i}]`, 'BOX_ANCHOR'));
        } else if (x < 0 || y < 0 || x + width > 100.0001 || y + height > 100.0001) {
          problems.push(problemAt(`${base}.boxes[${i}]`, 'BOX_WITHIN_IMAGE'));
        }
      });
  }
  return problems;
}

/** Options passed to the scorer, from what the exercise stores. */
export function scorerOptions(
  taskType: LabellingTaskType,
  labels: ExerciseLabels,
  scoring: ExerciseScoringOptions,
  items: readonly { externalId: string; data: ItemData }[] = [],
): Record<string, unknown> {
  switch (taskType) {
    case 'text_classification':
    case 'multi_label_classification':
      return { labels: labels.labels };
    case 'named_entity_spans':
      return { mode: scoring.spanMode ?? 'exact', entityTypes: labels.entityTypes };
    case 'image_bounding_boxes':
      return {
        iouThreshold: scoring.iouThreshold ?? 0.5,
        labels: labels.labels,
        // Rotated boxes turn in pixels: the scorer needs each image's size.
        imageSizes: Object.fromEntries(items.flatMap(({ externalId, data: { width, height } }) => (width && height ? [[externalId, { width, height }]] : []))),
      };
    case 'transcription':
      return {
        ...(scoring.cerFullMarksAtOrBelow !== undefined && { fullMarksAtOrBelow: scoring.cerFullMarksAtOrBelow }),
        ...(scoring.cerZeroAtOrAbove !== undefined && { zeroAtOrAbove: scoring.cerZeroAtOrAbove }),
      };
    default:
      return {};
  }
}

/** The media file an item refers to (image or audio), when it is a name rather than a URL. */
export function mediaNamesOf(data: ItemData): { field: 'image' | 'audio'; name: string }[] {
  const out: { field: 'image' | 'audio'; name: string }[] = [];
  for (const field of ['image', 'audio'] as const) {
    const v = data[field];
    if (isNonEmpty(v) && !isExternalUrl(v)) out.push({ field, name: v });
  }
  return out;
}

export function isExternalUrl(v: string): boolean {
  return /^(https?:)?\/\//i.test(v) || v.startsWith('data:');
}
