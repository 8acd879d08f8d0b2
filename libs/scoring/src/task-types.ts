/** Task type names, as stored on an exercise and used to pick a scorer from {@link scorers}. */
export const TEXT_CLASSIFICATION = 'text_classification';
export const MULTI_LABEL_CLASSIFICATION = 'multi_label_classification';
export const NAMED_ENTITY_SPANS = 'named_entity_spans';
export const IMAGE_BOUNDING_BOXES = 'image_bounding_boxes';
export const TRANSCRIPTION = 'transcription';
export const DIALOGUE_INTENT_SLOTS = 'dialogue_intent_slots';
export const RESPONSE_RANKING = 'response_ranking';
export const DATA_CLEANING = 'data_cleaning';

export const TASK_TYPES = [
  TEXT_CLASSIFICATION,
  MULTI_LABEL_CLASSIFICATION,
  NAMED_ENTITY_SPANS,
  IMAGE_BOUNDING_BOXES,
  TRANSCRIPTION,
  DIALOGUE_INTENT_SLOTS,
  RESPONSE_RANKING,
  DATA_CLEANING,
] as const;

export type TaskType = (typeof TASK_TYPES)[number];

export function isTaskType(value: unknown): value is TaskType {
  return typeof value === 'string' && (TASK_TYPES as readonly string[]).includes(value);
}
