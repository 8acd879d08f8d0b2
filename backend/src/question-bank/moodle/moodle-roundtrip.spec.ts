import type { QuestionContent, QuestionTags, QuestionType } from '@aitrainer/contracts';
import { readMoodleXml } from '../moodle-xml';
import { readGift } from './gift-reader';
import { toImportReport } from './moodle-question';
import { toGift, toMoodleXml, type ExportedQuestion } from './moodle-writer';

const tags = (knowledgePoint: string): QuestionTags => ({ occupation: '4-04-05-05', levels: [4], dutyArea: '数据标注', knowledgePoint, difficulty: 'medium' });
const q = (type: QuestionType, content: QuestionContent, kp = '评测指标/分类'): ExportedQuestion => ({ type, content, tags: tags(kp) });

/** A bank with every type Moodle has a counterpart for, in every form the bank stores, with GIFT's special characters. */
const BANK: ExportedQuestion[] = [
  q('true_false', { stem: 'IoU 越大，重合越多。', answer: true }),
  q('true_false', { stem: 'Is 1 > 2? {no}', answer: false, trueFeedback: '错：1 < 2', falseFeedback: '对 = right', feedback: 'general # feedback', name: '判断:一' }),
  q('single_choice', { stem: '实体级 F1 要求什么一致？', options: [{ key: 'A', text: '类型和边界' }, { key: 'B', text: '只看类型' }], correctKeys: ['A'] }),
  q('single_choice', { stem: 'Half credit ~ here', options: [{ key: 'A', text: 'wrong', weight: 0 }, { key: 'B', text: 'half', weight: 50, feedback: 'close' }, { key: 'C', text: 'full', weight: 100 }], correctKeys: ['C'], name: 'weighted single' }),
  q('multiple_choice', { stem: '哪些是分类指标？', options: [{ key: 'A', text: '准确率' }, { key: 'B', text: '宏平均 F1' }, { key: 'C', text: '字错率' }], correctKeys: ['A', 'B'], multipleScoring: 'partial' }),
  q('multiple_choice', { stem: 'all or nothing', options: [{ key: 'A', text: 'a' }, { key: 'B', text: 'b' }, { key: 'C', text: 'c' }], correctKeys: ['A', 'B'], multipleScoring: 'all_or_nothing' }),
  q('multiple_choice', { stem: 'no scoring set', options: [{ key: 'A', text: 'a' }, { key: 'B', text: 'b' }], correctKeys: ['B'] }),
  q('multiple_choice', { stem: 'Moodle weights', options: [{ key: 'A', text: 'a', weight: 50 }, { key: 'B', text: 'b', weight: 50, feedback: 'yes' }, { key: 'C', text: 'c', weight: -100 }], correctKeys: ['A', 'B'], multipleScoring: 'weighted' }),
  q('fill_blank', { stem: 'Cohen 的 ____。', acceptedAnswers: ['kappa', 'κ'] }),
  q('fill_blank', { stem: 'Animal?', acceptedAnswers: ['Lion'], acceptedFeedback: ['Right'], partialAnswers: [{ text: 'Cat', weight: 50, feedback: 'close' }, { text: 'Dog', weight: 0, feedback: 'no' }], name: 'partial' }),
  q('short_answer', { stem: '说明成对偏好标注的流程。', rubric: '提到成对比较、一致性检查各得一半分。', feedback: '见讲义' }, '智能训练'),
  q('numerical', { stem: 'Pi?', numericAnswers: [{ value: 3.14, tolerance: 0.01, weight: 100, feedback: 'yes' }, { value: 3, tolerance: 0.5, weight: 50 }] }, '智能训练'),
  q('matching', { stem: 'Match', pairs: [{ key: '1', prompt: '分类', answer: '准确率' }, { key: '2', prompt: '转写', answer: '字错率' }], distractors: ['IoU'] }, '智能训练'),
  q('single_choice', { stem: '<p>Which is <b>bold</b>? a &lt; b</p>', format: 'html', options: [{ key: 'A', text: '<i>this</i>', feedback: '<b>yes</b>' }, { key: 'B', text: 'that &amp; more' }], correctKeys: ['A'], feedback: '<p>general</p>' }, '智能训练'),
];

function readBack(report: ReturnType<typeof toImportReport>) {
  expect(report.skipped).toEqual([]);
  return report.questions.map((x) => ({ type: x.type, content: x.content, knowledgePoint: x.category }));
}
const expected = BANK.map((x) => ({ type: x.type, content: x.content, knowledgePoint: x.tags.knowledgePoint }));

describe('export to GIFT and Moodle XML, and back: identical for every type', () => {
  it('bank -> GIFT -> bank', () => {
    const file = toGift(BANK);
    const back = readBack(toImportReport(readGift(file)));
    expect(back).toEqual(expected);
    expect(toImportReport(readGift(file)).questions.every((x) => !x.changes?.length)).toBe(true);
  });

  it('bank -> Moodle XML -> bank, with the files the text refers to', () => {
    const withMedia: ExportedQuestion = {
      // Bank HTML is always the sanitiser's output (a bare `controls` attribute is stored as `controls=""`).
      ...q('fill_blank', { stem: '<p>What does she say? <audio controls="" src="@@PLUGINFILE@@/bonjour.mp3"></audio></p>', format: 'html', acceptedAnswers: ['bonjour'], media: [{ name: 'bonjour.mp3', key: 'k1', mime: 'audio/mpeg', size: 4 }] }),
      files: new Map([['bonjour.mp3', Buffer.from([1, 2, 3, 4])]]),
    };
    const report = toImportReport(readMoodleXml(toMoodleXml([...BANK, withMedia])));
    const back = readBack(report);
    const { media: _m, ...contentWithoutMedia } = withMedia.content;
    expect(back).toEqual([...expected, { type: 'fill_blank', content: contentWithoutMedia, knowledgePoint: '评测指标/分类' }]);
    // The file comes back with its bytes; the service stores it and records content.media again.
    expect(report.files.get(BANK.length + 1)).toEqual([{ name: 'bonjour.mp3', content: Buffer.from([1, 2, 3, 4]) }]);
  });

  it('Moodle reads what we write by its own rules: partial credit written as weights it accepts', () => {
    const gift = toGift([BANK[4]!]);
    expect(gift).toContain('~%50%准确率');
    expect(gift).toContain('~%-50%字错率');
    // Without this bank's note (a file edited elsewhere) the same question is Moodle's weighted multiple answer.
    const plain = toImportReport(readGift(gift.replace(/^\/\/ @aitrainer .*$/m, '')));
    expect(plain.questions[0]!.content).toMatchObject({ multipleScoring: 'weighted', options: [{ weight: 50 }, { weight: 50 }, { weight: -50 }] });
  });

  it('labelling and prompt tasks have no Moodle counterpart and are left out', () => {
    const file = toGift([q('labelling', { stem: 'Label', labellingExerciseId: 1 }), BANK[0]!]);
    expect(toImportReport(readGift(file)).questions.map((x) => x.type)).toEqual(['true_false']);
  });
});
