import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { MistakeExplanationView, SubmissionResultView } from '@aitrainer/contracts';
import { JudgeUsage, LlmJudge } from '../grading/judge/llm-judge';
import type { JobContext } from '../infra/queue/job-queue';
import { LlmTransientError } from '../infra/llm/llm.errors';
import { LabellingExercise } from './entities/labelling-exercise.entity';
import { LabellingSubmission } from './entities/labelling-submission.entity';
import { mistakeGroups } from './mistake-groups';
import { EXPLANATION_SCHEMA, explanationMessages } from './open-task-judge-prompts';

/**
 * Asks the model for a short explanation of a graded submission's most frequent mistakes. It writes only the
 * `explanation` column: the score and the exact per-item feedback are never read back from it or changed.
 * Any failure leaves the explanation `unavailable` (after the queue's retries for transient ones).
 */
@Injectable()
export class MistakeExplainer {
  private readonly logger = new Logger('MistakeExplainer');

  constructor(
    @InjectRepository(LabellingSubmission) private readonly submissions: Repository<LabellingSubmission>,
    @InjectRepository(LabellingExercise) private readonly exercises: Repository<LabellingExercise>,
    private readonly judge: LlmJudge,
  ) {}

  async explain(submissionId: number, version: number, job: JobContext): Promise<void> {
    const submission = await this.submissions.findOneBy({ id: submissionId, version });
    if (!submission || submission.state !== 'graded' || !submission.result || submission.explanation?.status === 'ready') return;
    if (!this.judge.configured) return this.store(submissionId, version, { status: 'unavailable', groups: [], summary: '', model: null });
    const exercise = await this.exercises.findOneByOrFail({ id: submission.exerciseId });
    const groups = mistakeGroups((submission.result as SubmissionResultView).items);
    if (groups.length === 0) return this.store(submissionId, version, { status: 'unavailable', groups: [], summary: '', model: null });
    const usage = new JudgeUsage();
    try {
      const verdict = await this.judge.judgeJson<{ summary: string; groups: { key: string; explanation: string }[] }>(
        explanationMessages(exercise.taskType, exercise.title, groups),
        EXPLANATION_SCHEMA,
        usage,
      );
      if (verdict.kind !== 'ok') return this.store(submissionId, version, { status: 'unavailable', groups: [], summary: '', model: usage.model });
      // Keep only the groups we computed (the model cannot invent counts), with its words bounded.
      const explained = groups.map((g) => ({ key: g.key, count: g.count, explanation: String(verdict.value.groups.find((x) => x.key === g.key)?.explanation ?? '').slice(0, 600) }));
      await this.store(submissionId, version, { status: 'ready', groups: explained, summary: verdict.value.summary.slice(0, 1200), model: usage.model });
    } catch (e) {
      if (e instanceof LlmTransientError && job.attempt < job.maxAttempts) throw e; // retried with backoff
      this.logger.warn(`Submission ${submissionId}: no mistake explanation (${(e as Error).message})`);
      await this.store(submissionId, version, { status: 'unavailable', groups: [], summary: '', model: null });
    }
  }

  private async store(id: number, version: number, explanation: MistakeExplanationView): Promise<void> {
    await this.submissions.update({ id, version }, { explanation: explanation as never });
  }
}
