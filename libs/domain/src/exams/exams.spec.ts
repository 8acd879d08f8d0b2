import type { BankQuestion } from './paper';
import { checkBlueprint, drawPaper } from './paper';
import { attemptDeadline, finishTime } from './deadline';
import { normaliseBlank, scoreObjective, answerShapeProblem } from './objective-scoring';
import { seededRandom, shuffled } from './seeded-random';
import { bankCsv, parseBankCsv, parseCsv } from './bank-csv';
import type { BlueprintSection, QuestionContent } from '@aitrainer/contracts';

const bank: BankQuestion[] = Array.from({ length: 30 }, (_, i) => ({
  questionId: i + 1,
  versionId: 100 + i,
  type: i < 10 ? 'true_false' : 'single_choice',
  levels: [4, 5],
  dutyArea: i % 2 ? '数据标注' : '数据采集和处理',
  difficulty: (['easy', 'medium', 'hard'] as const)[i % 3]!,
  optionKeys: i < 10 ? [] : ['A', 'B', 'C', 'D'],
}));
const blueprint: BlueprintSection[] = [
  { part: 'theory', type: 'true_false', count: 5, points: 0.5 },
  { part: 'theory', type: 'single_choice', count: 10, points: 0.5, difficultyMix: { hard: 3 } },
];

describe('seeded paper drawing', () => {
  it('gives the same paper from the same seed, whatever order the bank comes in', () => {
    const a = drawPaper('seed-1', 'theory', blueprint, 4, bank);
    const b = drawPaper('seed-1', 'theory', blueprint, 4, bank.slice().reverse());
    expect(b).toEqual(a);
    expect(a.items).toHaveLength(15);
    expect(new Set(a.items.map((i) => i.questionId)).size).toBe(15);
  });
  it('gives another paper from another seed, with options shuffled', () => {
    const a = drawPaper('seed-1', 'theory', blueprint, 4, bank);
    const b = drawPaper('seed-2', 'theory', blueprint, 4, bank);
    expect(b.items.map((i) => i.questionId)).not.toEqual(a.items.map((i) => i.questionId));
    const orders = a.items.filter((i) => i.optionOrder.length).map((i) => i.optionOrder.join(''));
    expect(new Set(orders).size).toBeGreaterThan(1);
  });
  it('honours the difficulty mix and the level', () => {
    const paper = drawPaper('x', 'theory', blueprint, 4, bank);
    const hard = paper.items.filter((i) => i.section === 1 && bank.find((q) => q.questionId === i.questionId)!.difficulty === 'hard');
    expect(hard.length).toBeGreaterThanOrEqual(3);
    expect(() => drawPaper('x', 'theory', blueprint, 3, bank)).toThrow(/cannot be filled/);
  });
  it('checkBlueprint names every shortfall', () => {
    expect(checkBlueprint(blueprint, 4, bank)).toEqual([]);
    const problems = checkBlueprint([{ part: 'theory', type: 'true_false', count: 11, points: 1, difficultyMix: { hard: 4 } }], 4, bank);
    expect(problems.map((p) => [p.required, p.available])).toEqual([[4, 3], [11, 10]]);
  });
  it('shuffles deterministically', () => {
    expect(shuffled([1, 2, 3, 4, 5], seededRandom('a'))).toEqual(shuffled([1, 2, 3, 4, 5], seededRandom('a')));
  });
});

describe('deadline arithmetic', () => {
  it.each([
    // start, minutes, extra, session end, expected
    [0, 90, 0, 10_000_000, 5_400_000],
    [0, 90, 15, 10_000_000, 6_300_000],
    [0, 90, 0, 3_000_000, 3_000_000],
  ])('start %d + %d min + %d extra, session end %d -> %d', (start, minutes, extra, end, expected) => {
    expect(attemptDeadline(start, minutes, extra, end)).toBe(expected);
  });
  it('an overdue submit finishes at the deadline', () => {
    expect(finishTime(9_000, 5_000)).toBe(5_000);
    expect(finishTime(4_000, 5_000)).toBe(4_000);
  });
});

describe('objective scoring', () => {
  const mc: QuestionContent = { stem: '?', options: ['A', 'B', 'C', 'D'].map((key) => ({ key, text: key })), correctKeys: ['A', 'C'] };
  it.each([
    ['ＡＢＣ　１２３', 'abc123'],
    [' 数据 标注 ', '数据标注'],
    ['Ｋａｐｐａ', 'kappa'],
  ])('normalises %j to %j', (input, expected) => expect(normaliseBlank(input)).toBe(expected));
  it.each([
    ['true_false', { stem: '', answer: true }, true, 1, 1],
    ['true_false', { stem: '', answer: true }, false, 1, 0],
    ['single_choice', { stem: '', correctKeys: ['B'] }, 'B', 0.5, 0.5],
    ['single_choice', { stem: '', correctKeys: ['B'] }, 'A', 0.5, 0],
    ['multiple_choice', mc, ['A', 'C'], 2, 2],
    ['multiple_choice', mc, ['A'], 2, 0],
    ['multiple_choice', { ...mc, multipleScoring: 'partial' }, ['A'], 2, 1],
    ['multiple_choice', { ...mc, multipleScoring: 'partial' }, ['A', 'B'], 2, 0],
    ['multiple_choice', { ...mc, multipleScoring: 'partial' }, ['A', 'B', 'C'], 2, 1],
    ['fill_blank', { stem: '', acceptedAnswers: ['F1 值', 'F1'] }, 'ｆ１', 1, 1],
    ['fill_blank', { stem: '', acceptedAnswers: ['F1'] }, '', 1, 0],
    ['true_false', { stem: '', answer: true }, null, 1, 0],
  ] as const)('%s %j answered %j for %d points scores %d', (type, content, value, points, expected) => {
    expect(scoreObjective(type, content as QuestionContent, value as never, points)?.score).toBe(expected);
  });
  it('leaves practical items to a grader', () => {
    expect(scoreObjective('short_answer', { stem: '' }, 'text', 5)).toBeNull();
  });
  it('checks answer shapes', () => {
    expect(answerShapeProblem('multiple_choice', mc, ['A', 'A'])).not.toBeNull();
    expect(answerShapeProblem('single_choice', mc, 'E')).not.toBeNull();
    expect(answerShapeProblem('single_choice', mc, 'D')).toBeNull();
  });
});

describe('bank CSV', () => {
  it('parses RFC 4180 quoting and round-trips through bankCsv', () => {
    expect(parseCsv('a,"b,""c""",d\r\n"x\ny",,z')).toEqual([['a', 'b,"c"', 'd'], ['x\ny', '', 'z']]);
    const question = { type: 'single_choice' as const, content: { stem: 'Q, "quoted"', options: [{ key: 'X', text: 'one' }, { key: 'Y', text: 'two|three' }], correctKeys: ['Y'] }, tags: { occupation: '4-04-05-05', levels: [4, 5] as (4 | 5)[], dutyArea: '数据标注', knowledgePoint: 'kp', difficulty: 'easy' as const } };
    const back = parseBankCsv(bankCsv([{ ...question, content: { ...question.content, options: [{ key: 'X', text: 'one' }, { key: 'Y', text: 'two' }] } }]));
    expect(back.questions[0]).toMatchObject({ type: 'single_choice', content: { stem: 'Q, "quoted"', options: [{ key: 'A', text: 'one' }, { key: 'B', text: 'two' }], correctKeys: ['B'] }, tags: { levels: [4, 5], difficulty: 'easy' } });
  });
});
