import type { ImportNote, QuestionContent, QuestionTags, QuestionType } from '@aitrainer/contracts';

/** A question read from an import file, before tags are added. */
export interface ImportedQuestion {
  /** 1-based position of the question in the file (categories and comments not counted). */
  position: number;
  /** Line where it starts (GIFT) or question index (XML). */
  line: number;
  title: string;
  category: string | null;
  type: QuestionType;
  content: QuestionContent;
  /** Tags the file itself gives (the bank's CSV template); the import request's tags fill the rest. */
  tags?: Partial<QuestionTags>;
  /** How the stored question differs from the file's (dropped features, removed HTML ...); empty when it does not. */
  changes?: ImportNote[];
}

export interface SkippedQuestion {
  position: number;
  line: number;
  title: string;
  /** In English, for logs and API clients; `code` and `params` for the portal's catalogue. */
  reason: string;
  code: string;
  params?: Record<string, string | number>;
}

export interface ImportReport {
  questions: ImportedQuestion[];
  skipped: SkippedQuestion[];
}

/** Option keys A, B, C, ... (AA after Z: imports rarely have more than a handful). */
export const optionKey = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : `${String.fromCharCode(65 + Math.floor(i / 26) - 1)}${String.fromCharCode(65 + (i % 26))}`);
