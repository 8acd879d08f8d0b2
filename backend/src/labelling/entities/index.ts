import { LabellingExercise } from './labelling-exercise.entity';
import { LabellingItem } from './labelling-item.entity';
import { LabellingMedia } from './labelling-media.entity';
import { LabellingAnswer, LabellingSubmission } from './labelling-submission.entity';
import { LabellingCalibration } from './labelling-calibration.entity';

export const LABELLING_ENTITIES = [LabellingExercise, LabellingItem, LabellingMedia, LabellingSubmission, LabellingAnswer, LabellingCalibration];
