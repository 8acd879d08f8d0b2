/**
 * The demo's past stage test, for item analysis: a theory test on label quality checking sat by a class of 38 (two
 * sittings: the first, and a resit with the first sitting's no-shows). Candidates answer by a seeded ability model
 * (two-parameter logistic: P(right) = 1 / (1 + e^(-a(θ - b)))), so the analysis shows what test developers look for:
 * a very easy item, a very hard one, one that the weaker candidates get right more often (negative discrimination,
 * a = -1.6), and one answered at random (a = 0, near-zero discrimination). Deterministic: the same seed every load.
 */
import type { CreateQuestionRequest, ExamAnswerValue } from '@aitrainer/contracts';
import { OCCUPATION_CODE } from '@aitrainer/contracts';
import { seededRandom, type Random } from '@aitrainer/domain';

export const ANALYSIS_AREA = '标注质量检验';
export const ANALYSIS_EXAM_TITLE = '人工智能训练师（五级/初级工）阶段测验：标注质量检验';
export const ANALYSIS_VENUES = { first: '杭州数智职业技术学院 实训楼 B201 考场', resit: '杭州数智职业技术学院 实训楼 B202 考场（补考）' } as const;
/** Days before the demo is loaded: the first sitting and the resit. */
export const ANALYSIS_DAYS_AGO = { first: 21, resit: 7 } as const;

interface Item {
  /** Discrimination (a) and difficulty (b) of the ability model. */
  a: number;
  b: number;
  request: CreateQuestionRequest;
}

const tags = (knowledgePoint: string, difficulty: 'easy' | 'medium' | 'hard') => ({ occupation: OCCUPATION_CODE, levels: [5 as const], dutyArea: ANALYSIS_AREA, knowledgePoint, difficulty });
const tf = (a: number, b: number, knowledgePoint: string, difficulty: 'easy' | 'medium' | 'hard', stem: string, answer: boolean): Item => ({ a, b, request: { type: 'true_false', content: { stem, answer }, tags: tags(knowledgePoint, difficulty) } });
const sc = (a: number, b: number, knowledgePoint: string, difficulty: 'easy' | 'medium' | 'hard', stem: string, texts: string[], right: number): Item => ({
  a,
  b,
  request: {
    type: 'single_choice',
    content: { stem, options: texts.map((text, k) => ({ key: 'ABCD'[k] as string, text })), correctKeys: ['ABCD'[right] as string] },
    tags: tags(knowledgePoint, difficulty),
  },
});

/** The test's 12 items: 4 true/false at 5 points, 8 single choice at 10 (100 in all). */
export const ANALYSIS_ITEMS: readonly Item[] = [
  // Very easy: everyone knows it.
  tf(1, -6, '标注规范', 'easy', '正式标注前，标注员应先阅读并理解标注规范。', true),
  // Near-zero discrimination: answered as if by a coin toss, whatever the candidate's ability.
  tf(0, 0, '抽检方法', 'medium', '质检抽样时，样本量越大，抽检结论一定越准确。', false),
  tf(2, -0.8, '质检流程', 'medium', '质检发现的错误只需质检员自行改正，不必反馈给标注员。', false),
  tf(2, 0.4, '一致性', 'medium', '两位标注员的一致率高，说明标注一定正确。', false),
  // Very hard: almost nobody gets it.
  sc(1, 5.5, '一致性', 'hard', '两位标注员各自标注 100 条二分类数据，一致 80 条，且两人各有一半标为正类。扣除偶然一致后的一致性系数约为多少？', ['0.60', '0.80', '0.50', '0.40'], 0),
  // Negative discrimination: the weaker candidates pick the keyed answer more often than the stronger ones.
  sc(-1.6, 0, '抽检方法', 'medium', '对 10 万条标注数据做验收抽检，下列做法最合适的是哪一项？', ['按标注员分层随机抽样', '只抽最后一天的数据', '只抽标注最快的人', '全部逐条复核'], 0),
  sc(2, -1.2, '质检流程', 'easy', '质检员发现某标注员同类错误反复出现，首先应当怎么做？', ['向其反馈错误并说明规范条款', '直接删除其全部数据', '不予理会', '自行改正后不告知'], 0),
  sc(2, -0.6, '评价指标', 'medium', '实体级评测中，预测实体与标准答案的类型和边界都一致才算正确，这种评测方式称为什么？', ['严格匹配', '宽松匹配', '部分匹配', '随机匹配'], 0),
  sc(2, 0, '评价指标', 'medium', '抽检 400 条数据发现 12 条错误，准确率是多少？', ['97%', '88%', '99%', '96%'], 0),
  sc(2, 0.5, '返工处理', 'medium', '一批数据抽检准确率低于验收线，正确的处理方式是什么？', ['整批返工后重新抽检', '只改正抽中的错误条目', '降低验收线后通过', '换一批样本再抽'], 0),
  sc(2, 1.0, '一致性', 'hard', '评估多位标注员之间的一致性，下列指标最合适的是哪一项？', ['多人一致性系数（如弗莱斯系数）', '准确率', '召回率', '平均响应时间'], 0),
  sc(2, 1.5, '规范修订', 'hard', '多位标注员对同一类样本理解不一致，根本的解决办法是什么？', ['修订规范并补充示例后重新培训', '让标注最快的人决定', '删除这类样本', '按多数人的意见处理，不改规范'], 0),
];

/** 38 classmates for the stage test (the demo cohort's other students): usernames demo.c01..demo.c38. */
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
const GIVEN = ['子涵', '欣怡', '浩然', '梓萱', '宇轩', '诗琪', '俊杰', '雨桐', '博文', '佳怡', '思远', '晨曦', '一鸣', '可馨', '天佑', '若曦', '嘉豪', '紫涵', '明轩'];
export const ANALYSIS_CANDIDATES: readonly { username: string; realName: string; idFirst17: string }[] = Array.from({ length: 38 }, (_, i) => ({
  username: `demo.c${String(i + 1).padStart(2, '0')}`,
  realName: `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 7) % GIVEN.length]}`,
  // 330106 (杭州西湖区), born 2003-2006, sequence 1xx.
  idFirst17: `330106${2003 + (i % 4)}0${1 + (i % 9)}${String(10 + ((i * 3) % 18)).padStart(2, '0')}${String(100 + i).padStart(3, '0')}`,
}));

/**
 * Who sits when. The first 36 are registered for the first sitting; three of them (one in three of the middle ones)
 * do not come and sit the resit instead, so their resit attempt is their first finished one. The four weakest who
 * failed the first sitting resit it (later attempts, left out of the analysis). The last two register for the
 * resit and never come (no-shows).
 */
export const ANALYSIS_PLAN = {
  firstSitting: 36,
  missedFirst: [10, 19, 28] as readonly number[],
  resits: 4,
  resitNoShows: [36, 37] as readonly number[],
};

/** Each candidate's ability: spread evenly over -2.2..2.2 with a little noise. */
export function abilities(random: Random = seededRandom('demo-analysis-abilities')): number[] {
  return ANALYSIS_CANDIDATES.map((_, i) => -2.2 + (4.4 * i) / (ANALYSIS_CANDIDATES.length - 1) + (random() - 0.5) * 0.6);
}

/**
 * The answers of a candidate of ability θ to the items (by item index), drawn from the model with its own seeded
 * stream: a wrong single choice picks one of the wrong options; one response in thirty is left blank.
 */
export function modelAnswers(theta: number, random: Random): (ExamAnswerValue | null)[] {
  return ANALYSIS_ITEMS.map((item) => {
    const right = random() < 1 / (1 + Math.exp(-item.a * (theta - item.b)));
    const blank = random() < 1 / 30;
    const pick = random();
    if (blank) return null;
    const c = item.request.content;
    if (item.request.type === 'true_false') return right ? (c.answer as boolean) : !c.answer;
    const wrong = (c.options ?? []).filter((o) => !c.correctKeys?.includes(o.key));
    return right ? (c.correctKeys![0] as string) : (wrong[Math.floor(pick * wrong.length)]!.key);
  });
}
