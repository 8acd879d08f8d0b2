import { createHash } from 'node:crypto';
import type { AnswerValue, ItemData, OpenTaskGrading, OpenTaskType } from '@aitrainer/contracts';
import type { ChatMessage } from '../infra/llm/llm.types';
import { framingTemplates, type CandidatePiece, type JudgeMaterial } from '../grading/judge/judge-framings';

/** Bump when the wording below changes: the hash recorded with each grade names the template used. */
export const OPEN_TASK_TEMPLATE_VERSION = 'labelling-judge-v2';

const OPEN_TASK_ROLE = `You are an examiner for the vocational certification 人工智能训练师 (AI trainer).
You grade a piece of annotation work written by a candidate, against the rubric and the instructor's reference.`;

const TASK_WORDING: Record<OpenTaskType, string> = {
  sft_writing: 'Writing supervised fine-tuning (SFT) data. Judge correctness, helpfulness, harmlessness and format against the reference answer.',
  preference_rationale: 'Preference labelling with a written rationale. The choice is scored separately; judge only the rationale: does it name the real differences between the responses and justify the choice?',
  guideline_writing: 'Writing or reviewing an annotation guideline (标注规范) for the dataset described. Judge coverage of label definitions, boundary cases and examples.',
  error_review: "Error review of someone else's labels. The corrections are scored separately; judge only the explanations: do they say correctly why each label was wrong?",
};

export interface OpenJudgeInput {
  taskType: OpenTaskType;
  title: string;
  description: string;
  labels: string[];
  grading: OpenTaskGrading;
  data: ItemData;
  gold: AnswerValue;
  answer: AnswerValue;
}

/** The candidate's text of an answer (for injection screening), field by field. */
export function candidateTexts(answer: AnswerValue): string[] {
  if ('text' in answer) return [answer.text];
  if ('rationale' in answer) return [answer.rationale];
  if ('corrections' in answer) return answer.corrections.map((c) => c.explanation ?? '').filter((t) => t !== '');
  return [];
}

/** What the judge reads of one open-ended item: the instructor's material, the reference and the candidate's text. */
export function openTaskJudgeMaterial(input: OpenJudgeInput): JudgeMaterial {
  const { taskType, data, gold, answer } = input;
  const material: string[] = [];
  let reference: string | null = null;
  let piece: CandidatePiece;
  switch (taskType) {
    case 'sft_writing':
      if (data.sftDirection === 'write_instruction') {
        material.push(`Given response (the candidate writes the instruction that would produce it):\n${data.response}`);
        piece = { label: 'CANDIDATE INSTRUCTION', text: 'text' in answer ? answer.text : '' };
      } else {
        material.push(`Given instruction (the candidate writes the response):\n${data.instruction}`);
        piece = { label: 'CANDIDATE RESPONSE', text: 'text' in answer ? answer.text : '' };
      }
      reference = 'text' in gold ? gold.text : '';
      break;
    case 'preference_rationale': {
      material.push(`Prompt:\n${data.prompt ?? ''}`);
      for (const r of data.responses ?? []) material.push(`Response ${r.id}:\n${r.text}`);
      const goldChoice = 'choice' in gold ? gold.choice : '';
      material.push(`Preferred response according to the reference: ${goldChoice}`);
      reference = 'rationale' in gold && gold.rationale ? gold.rationale : null;
      material.push(`The candidate chose response ${'choice' in answer ? answer.choice : ''}.`);
      piece = { label: 'CANDIDATE RATIONALE', text: 'rationale' in answer ? answer.rationale : '' };
      break;
    }
    case 'guideline_writing':
      material.push(`Dataset to be labelled:\n${data.text ?? ''}`);
      if (input.labels.length) material.push(`Label set: ${input.labels.join(', ')}`);
      if (data.guideline) material.push(`Existing guideline the candidate reviews:\n${data.guideline}`);
      reference = 'text' in gold ? gold.text : '';
      piece = { label: data.guideline ? 'CANDIDATE REVIEW' : 'CANDIDATE GUIDELINE', text: 'text' in answer ? answer.text : '' };
      break;
    case 'error_review': {
      material.push(`Label set: ${input.labels.join(', ')}`);
      material.push(`Labelled batch (JSON): ${JSON.stringify(data.batch ?? [])}`);
      reference = `Reference corrections (JSON): ${JSON.stringify('corrections' in gold ? gold.corrections.map((c) => ({ id: c.id, label: c.label })) : [])}`;
      const corrections = 'corrections' in answer ? answer.corrections : [];
      piece = { label: 'CANDIDATE CORRECTIONS AND EXPLANATIONS', text: corrections.map((c) => `${c.id} -> ${c.label}: ${c.explanation ?? ''}`).join('\n') };
      break;
    }
  }
  return {
    role: OPEN_TASK_ROLE,
    context: [`Exercise: ${input.title}`, input.description ? `Instructions to the candidate: ${input.description}` : '', `Task: ${TASK_WORDING[taskType]}`, ...material].filter((l) => l !== ''),
    reference,
    rubric: input.grading.rubric,
    candidate: [piece],
  };
}

export function openTaskTemplateHash(): string {
  return createHash('sha256').update(OPEN_TASK_TEMPLATE_VERSION).update(OPEN_TASK_ROLE).update(framingTemplates()).update(JSON.stringify(TASK_WORDING)).digest('hex');
}

const EXPLAIN_SYSTEM = `You are a tutor for data annotators (人工智能训练师). Given counts of an annotator's mistakes on a
labelling exercise, grouped by label or error kind, explain briefly and concretely what the annotator most likely
misunderstands and how to avoid it. Do not give a score. Answer with JSON only:
{"summary":"<two or three sentences>","groups":[{"key":"<the group key as given>","explanation":"<one or two sentences>"}]}`;

export const EXPLANATION_SCHEMA = {
  type: 'object',
  required: ['summary', 'groups'],
  properties: {
    summary: { type: 'string' },
    groups: { type: 'array', items: { type: 'object', required: ['key', 'explanation'], properties: { key: { type: 'string' }, explanation: { type: 'string' } } } },
  },
};

export function explanationMessages(taskType: string, title: string, groups: { key: string; count: number; examples: string[] }[]): ChatMessage[] {
  const lines = groups.map((g) => `- ${g.key}: ${g.count} time(s); e.g. ${g.examples.join(' | ')}`);
  return [
    { role: 'system', content: EXPLAIN_SYSTEM },
    { role: 'user', content: `Exercise: ${title} (task type ${taskType})\nMost frequent mistakes:\n${lines.join('\n')}` },
  ];
}
