import type { OutputCheckKind, PromptAnswerStatus, ReviewReason } from '@aitrainer/contracts';
import type { I18n } from '../../core/i18n/i18n.service';
import type { MessageKey } from '../../core/i18n/messages.zh';

/** Why an answer waits for a person, in plain words. */
export function reviewReasonText(i18n: I18n, reason: ReviewReason | null): string {
  return i18n.t(reason ? `prompts.reason.${reason}` : 'prompts.reason.unknown');
}

export function checkKindText(i18n: I18n, kind: OutputCheckKind): string {
  return i18n.t(`prompts.checkKind.${kind}`);
}

export function answerStatusText(i18n: I18n, status: PromptAnswerStatus): string {
  return i18n.t(`prompts.status.${status}`);
}

/** The grader's notes on a check are fixed English sentences (libs/domain); these are their Chinese words. */
const NOTE_KEYS: ReadonlyArray<readonly [RegExp, MessageKey]> = [
  [/^output matches exactly$/i, 'prompts.note.exactOk'],
  [/^output does not match the expected text exactly$/i, 'prompts.note.exactBad'],
  [/^output contains the required text$/i, 'prompts.note.containsOk'],
  [/^output is missing required text$/i, 'prompts.note.containsBad'],
  [/^output has the required form$/i, 'prompts.note.regexOk'],
  [/^output does not have the required form$/i, 'prompts.note.regexBad'],
  [/^output is the expected label$/i, 'prompts.note.labelOk'],
  [/^output is not the expected label$/i, 'prompts.note.labelBad'],
  [/^output is not valid JSON$/i, 'prompts.note.jsonInvalid'],
  [/^output is JSON of the required shape$/i, 'prompts.note.jsonOk'],
  [/^output JSON does not match the required shape/i, 'prompts.note.jsonBad'],
];

export function checkNoteText(i18n: I18n, note: string): string {
  if (i18n.lang() !== 'zh') return note;
  const hit = NOTE_KEYS.find(([pattern]) => pattern.test(note));
  return hit ? i18n.t(hit[1]) : note;
}
