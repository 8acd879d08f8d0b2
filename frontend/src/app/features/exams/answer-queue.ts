import type { ExamAnswerValue } from '@aitrainer/contracts';

/** An answer the server has not acknowledged yet. */
export interface PendingAnswer {
  seq: number;
  value: ExamAnswerValue;
}

/**
 * The exam room's offline queue: unsent answers per attempt, kept in localStorage so a reload, a lost network or a
 * closed tab loses nothing. Plain functions over a Storage, so they are easy to test and reason about.
 */
export class AnswerQueue {
  constructor(
    private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null,
    private readonly attemptId: number,
  ) {}

  private get key(): string {
    return `aitrainer.exam.${this.attemptId}.pending`;
  }

  all(): Record<number, PendingAnswer> {
    try {
      return JSON.parse(this.storage?.getItem(this.key) ?? '{}') as Record<number, PendingAnswer>;
    } catch {
      return {};
    }
  }

  put(questionId: number, answer: PendingAnswer): void {
    const all = this.all();
    all[questionId] = answer;
    this.write(all);
  }

  /** Drops the entry once acknowledged, unless a newer change was queued meanwhile. */
  acknowledge(questionId: number, seq: number): void {
    const all = this.all();
    if (all[questionId] && all[questionId].seq <= seq) {
      delete all[questionId];
      this.write(all);
    }
  }

  clear(): void {
    try {
      this.storage?.removeItem(this.key);
    } catch {
      /* storage unavailable */
    }
  }

  private write(all: Record<number, PendingAnswer>): void {
    try {
      if (Object.keys(all).length) this.storage?.setItem(this.key, JSON.stringify(all));
      else this.storage?.removeItem(this.key);
    } catch {
      /* storage full or blocked: the answer stays in memory for this page */
    }
  }
}
