import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { isOpenTaskType, type ExerciseItemView, type ExerciseScoringOptions, type PracticalLabellingView } from '@aitrainer/contracts';
import { LabellingExercise } from './entities/labelling-exercise.entity';
import { LabellingItem } from './entities/labelling-item.entity';
import { LabellingMedia } from './entities/labelling-media.entity';
import { LabellingMediaStore } from './labelling-media.store';

/** What a student may see of an item: its id, position and data, never its gold. */
export function studentItemView(row: LabellingItem): ExerciseItemView {
  return { id: row.externalId, position: row.position, data: row.data };
}

/** The scoring options a student sees: the rubric's criteria and levels, not the anchors (graded examples stay the instructor's). */
export function studentScoring(scoring: ExerciseScoringOptions): ExerciseScoringOptions {
  if (!scoring.openGrading) return scoring;
  return { ...scoring, openGrading: { ...scoring.openGrading, rubric: scoring.openGrading.rubric.map(({ anchors: _a, ...c }) => c) } };
}

/** An item's media name, when it is a file of the exercise (not an absolute URL). */
const isExerciseMedia = (name: string) => !/^(https?:)?\/\//.test(name);

/**
 * The labelling context's read-only port for exams: a labelling exam item as the candidate sitting it sees it (the
 * student's view of the exercise and its items, whether or not the exercise is published for practice), and its media
 * files. Access is the caller's business: the exams context checks that the attempt is the candidate's and open.
 */
@Injectable()
export class LabellingExamCandidateView {
  constructor(
    @InjectRepository(LabellingExercise) private readonly exercises: Repository<LabellingExercise>,
    @InjectRepository(LabellingItem) private readonly items: Repository<LabellingItem>,
    @InjectRepository(LabellingMedia) private readonly media: Repository<LabellingMedia>,
    private readonly store: LabellingMediaStore,
  ) {}

  /** Null when the exercise no longer exists. `mediaUrl` names where the exam serves an item's media file. */
  async exercise(exerciseId: number, mediaUrl: (name: string) => string): Promise<PracticalLabellingView | null> {
    const e = await this.exercises.findOneBy({ id: exerciseId });
    if (!e) return null;
    const rows = await this.items.find({ where: { exerciseId }, order: { position: 'ASC' } });
    const rubric = isOpenTaskType(e.taskType) ? studentScoring(e.scoring).openGrading?.rubric : undefined;
    return {
      kind: 'labelling',
      title: e.title,
      description: e.description,
      taskType: e.taskType,
      labels: e.labels.labels ?? [],
      entityTypes: e.labels.entityTypes ?? [],
      intents: e.labels.intents ?? [],
      slotNames: e.labels.slotNames ?? [],
      ...(rubric && { rubric }),
      items: rows.map((row) => {
        const { id, data } = studentItemView(row);
        const name = data.image ?? data.audio;
        return { id, data, ...(name && { mediaUrl: isExerciseMedia(name) ? mediaUrl(name) : name }) };
      }),
    };
  }

  /** A media file of the exercise, or null when there is none by that name. */
  async mediaFile(exerciseId: number, name: string): Promise<{ path: string; mime: string } | null> {
    if (!LabellingMediaStore.isSafeName(name)) return null;
    const row = await this.media.findOneBy({ exerciseId, name });
    if (!row || !this.store.exists(exerciseId, name)) return null;
    return { path: this.store.path(exerciseId, name), mime: row.mime };
  }
}
