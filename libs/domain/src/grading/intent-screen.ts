import { normaliseForScreening, type VariantSource } from './normalise';

/**
 * The intent screen: looks in normalised candidate text for what an instruction to the grader is made of, not for a
 * list of phrases: text addressed to a grader, examiner, judge or model; a verdict, score or JSON in the judge's
 * shape; instructions about scoring; attempts to override the grader's instructions. English and Chinese.
 */

export type IntentKind = 'override' | 'score_claim' | 'scoring_instruction' | 'addresses_grader' | 'verdict_shape';

export interface IntentFinding {
  kind: IntentKind;
  /** Where the text was found: the text itself or a decoded reading of it. */
  source: VariantSource;
  /** The sentence that matched, shortened. */
  excerpt: string;
}

export interface ScreenContext {
  /**
   * The task's own text (scenario, question, rubric, reference): vocabulary the task itself uses is expected in an
   * answer. A task about scoring (LLM-as-judge prompts) makes score JSON and score words expected, so those two
   * kinds are not raised for it; instructions to the grader still are.
   */
  taskText?: string;
}

export interface ScreenResult {
  findings: IntentFinding[];
  /** Ways the text hides something (invisible characters, look-alikes, encodings...). */
  evasions: string[];
  /** The normalised text that was screened (what a reviewer sees), with decoded readings appended. */
  normalisedText: string;
}

const R = (source: string, flags = 'iu') => new RegExp(source, flags);

/** Instructions that try to replace the grader's own. */
const OVERRIDE = [
  R(String.raw`\b(ignore|disregard|forget|override|bypass|skip|drop)\b.{0,40}\b(instructions?|rubric|rules|criteria|guidelines|prompt|system message|grading scheme)\b`),
  R(String.raw`\b(new|updated|real|actual|hidden|secret|additional) (instructions?|task|directive|rubric)\s*[:：]`),
  R(String.raw`\b(system prompt|developer (message|mode)|jailbreak|you are now|from now on,? you|act as (a|an|the)\b.{0,20}\b(grader|judge|examiner|evaluator))`),
  R(String.raw`<\|?(im_start|im_end|system|assistant|endoftext)\|?>|\[/?INST\]|<</?SYS>>|^\s*(system|assistant|developer)\s*[:：]|#{2,}\s*(system|instruction|grader)`, 'imu'),
  R(String.raw`(忽略|无视|忘记|忘掉|跳过|不要理会|不用管|别管|覆盖|不必遵守|不要遵守).{0,12}(指令|指示|提示|要求|规则|标准|准则|设定|评分)`),
  R(String.raw`(新的|真正的|最新的|隐藏的|额外的|补充)(指令|指示|任务|评分规则|评分标准)\s*[:：]|系统提示|系统消息|开发者模式|你现在是|从现在起你`),
];

/** Claims of a top grade: no honest answer needs to say what it scores. */
const SCORE_CLAIM = [
  R(String.raw`\b(full|perfect|maximum|max|top|highest|best possible) (marks?|score|points|grade|band|rating|level)\b|\b(100|10)\s*(/|out of)\s*(100|10)\b|\b100\s*(%|points|pts)\b|\bA\+ grade\b`),
  R(String.raw`\b(give|award|assign|grant)\b.{0,24}\b(its|the|their|each)\b.{0,4}\b(maximum|max|highest|top)\b`),
  R(String.raw`\b(meets?|satisf(y|ies)|fulfils?|fulfills?|passes|exceeds?)\b.{0,12}\b(all|every|each)\b.{0,12}\b(rubric|criteria|criterion|requirements of the rubric|scoring)`),
  R(String.raw`满分|最高分|最高档|最高等级|最高级别|满档|顶格|一百分|(?<![\d.])100\s*分|十分满分|(各项|所有|全部)(评分)?(标准|维度|指标)(均|都|全部)?(已)?(满足|达到|符合|达标)|完全(符合|满足|达到)(了)?(所有|全部|各项)(的)?评分`),
];

/** Compact (space- and punctuation-free) spellings of the strongest terms: letter spacing and splits cannot hide them. */
const COMPACT_TERMS: [RegExp, IntentKind][] = [
  [/fullmarks|fullscore|perfectscore|maximumscore|maxscore|topmarks|highestscore|fullpoints/, 'score_claim'],
  [/ignore(all|the|your|any|previous|prior|above|earlier)*(instructions?|rubric|rules|criteria)/, 'override'],
  [/满分|最高分|最高档|满档|顶格/, 'score_claim'],
  [/(忽略|无视|忘记|跳过)(之前|以上|上述|前面|所有|全部|的)*(指令|指示|提示|要求|规则|评分标准)/, 'override'],
];

const SCORE_WORD = R(
  String.raw`\b(scores?|scored|scoring|marks?|points?|grades?|grading|graded|rating|rate[ds]?|evaluation|evaluate[ds]?|verdict|pass(ed|es|ing)?|fail(ed|s)?|rubric|criteri(a|on)|band|deductions?)\b|扣分|\b\d{1,3}(\.\d+)?\s*(/\s*\d{1,3}|points?|pts|marks?|%)|分数|得分|评分|打分|给分|评分|高分|分值|(?<![\p{L}])\d{1,3}(\.\d)?\s*分|[一二三四五六七八九十百]+分(?!类|析|别|布|钟|开|为|成|割|配|享|子|辨)|及格|考核通过|判定通过|评级|档次|评为|评定|判为|评价结果|成绩`,
);
const DIRECTIVE = R(
  String.raw`\b(give|award|assign|grant|rate|mark|grade|score|treat|consider|record|output|return|set|should|must|shall|need to|has to|have to|deserves?|merits?|warrants?|is worth|earns?|please|kindly|make sure|ensure|do not|don't|never|always|agree|confirm|accept|approve|correct (evaluation|score|grade|assessment))\b|请|务必|必须|应当|应该|应得|应给|应评|应为|需要|要求你|一定要|给予|给出|给他|给它|给我|给本|给该|打|评为|判为|定为|记为|按照?|不要|不得|只能|直接|同意|认可|确认|采纳|正确的(评分|评价|分数)`,
);
const SELF = R(
  String.raw`\b(this|the|my|our|above|following|present|attached) (answer|response|submission|prompt|work|essay|text|solution|outputs?|rationale|guideline|explanation|entry|paper|attempt|writing)s?\b|\bthe candidate\b|\bI (deserve|should get|earned)\b|(本|该|此|这个?|上述|以上|我的|本人|这份|这篇|这段)(答案|回答|作答|答卷|提示词|作品|内容|文本|回复|提交|输出|理由|规范|解释|作业|文章)|考生`,
);
const ADDRESSEE = R(
  String.raw`^(reviewers?|graders?|examiners?|evaluators?|assessors?|markers?|judges?)\s*[,，:：]|\bto the (reviewer|grader|examiner|marker|evaluator|assessor|judge)s?\b|\b(grader|graders|examiner|examiners|judges?|evaluators?|assessors?|marker|scorer|rater|grading (model|system|ai|assistant))\b|\b(dear|attention|note|message|instruction|reminder|memo|hint|hello|hi)\b.{0,6}\b(to|for)?\b.{0,6}\b(the )?(ai|model|llm|assistant|gpt|reviewers?)\b|评分(员|者|人|老师|模型|系统|助手|官|ai)|阅卷|考官|评委|评审(员|老师|专家|模型)|判分|批改(老师|者|模型|系统)|(致|给|提醒|告诉|对).{0,4}(模型|AI|大模型|助手|老师)|(各位|亲爱的|尊敬的).{0,6}(老师|评委|考官|模型|AI)`,
);
/** Claims that the work is the standard others are measured by. */
const QUALITY = R(String.raw`\b(perfect|flawless|exemplary|model answer|benchmark|no deductions)\b|标准答案|范文|无可挑剔|完全一致|满档`);
/** A sentence opening by calling the grader: addressing the grader is the signal, whatever follows. */
const VOCATIVE = R(String.raw`^(dear |hi |hello |attention,? )?(reviewers?|graders?|examiners?|evaluators?|assessors?|markers?|judges?|the (ai|model) grading this)\s*[,，:：]|^(阅卷(老师|组|人)?|考官|评委|评分(员|老师|模型)|评审(专家|老师)?)\s*[,，:：]`);

/** JSON or lines in the shape of a judge's verdict, with a value in it (a template with placeholders is not one). */
const VERDICT = [
  R(String.raw`["'“”]?\b(criteria|scores|score|final_score|total_score|pass|passed|verdict|grade|result|rating)\b["'“”]?\s*[:：=]\s*(\[\s*\{|["'“”]?\s*(\d|true\b|pass\b|full\b|满分|通过|优秀))`),
  R(String.raw`\b(final|total|overall|your|the) (score|grade|mark|verdict|result)\b\s*(is|[:：=])\s*(\d|pass|full|perfect|a\b)`),
  R(String.raw`(评分|得分|分数|总分|最终得分|评定结果|评分结果|结论)["'”]?\s*[:：=为是]\s*["'“]?(\d|满分|通过|优秀|合格)`),
];

/** Kinds that a task about scoring makes expected vocabulary. */
const VOCABULARY_KINDS: IntentKind[] = ['score_claim', 'verdict_shape'];
const TASK_SCORING = R(String.raw`\b(scores?|scoring|rating scale|grade|grading|judge|verdict|full marks)\b|评分|打分|评测|分数|满分|裁判|评委`);

function sentences(text: string): string[] {
  return text
    .split(/(?<=[。！？!?；;\n])|(?<=\.)\s+/u)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function screenOne(text: string, compact: string, source: VariantSource, out: IntentFinding[]): void {
  const add = (kind: IntentKind, excerpt: string) => {
    if (!out.some((f) => f.kind === kind && f.source === source)) out.push({ kind, source, excerpt: excerpt.slice(0, 160) });
  };
  for (const s of sentences(text)) {
    if (OVERRIDE.some((re) => re.test(s))) add('override', s);
    if (SCORE_CLAIM.some((re) => re.test(s))) add('score_claim', s);
    if (VERDICT.some((re) => re.test(s))) add('verdict_shape', s);
    const score = SCORE_WORD.test(s);
    const directive = DIRECTIVE.test(s);
    const addressee = ADDRESSEE.test(s);
    if (score && directive && (SELF.test(s) || addressee || QUALITY.test(s))) add('scoring_instruction', s);
    if ((addressee && (score || directive || QUALITY.test(s))) || VOCATIVE.test(s)) add('addresses_grader', s);
  }
  const leet = compact.replace(/0/g, 'o').replace(/1/g, 'l').replace(/3/g, 'e').replace(/4/g, 'a').replace(/5/g, 's').replace(/7/g, 't');
  for (const [re, kind] of COMPACT_TERMS) {
    const m = re.exec(compact) ?? re.exec(leet);
    if (m) add(kind, m[0]);
  }
}

/**
 * Screens candidate text after normalising it (see normaliseForScreening): the text itself and every decoded
 * reading (HTML comments, base64, hex, %-encoding, \u escapes, ROT13, reversed). Any finding is a reason for a
 * person to look; evasions are reported beside them.
 */
export function screenForGraderInstructions(raw: string, context: ScreenContext = {}): ScreenResult {
  const norm = normaliseForScreening(raw);
  const findings: IntentFinding[] = [];
  screenOne(norm.text, norm.compact, 'text', findings);
  const shown: string[] = [norm.text];
  for (const v of norm.variants) {
    const inner = normaliseForScreening(v.text, 1);
    const before = findings.length;
    // ROT13 and reversed readings of ordinary text are noise: only the compact strong terms and overrides count there.
    if (v.source === 'rot13' || v.source === 'reversed') {
      const probe: IntentFinding[] = [];
      screenOne(inner.text, inner.compact, v.source, probe);
      findings.push(...probe.filter((f) => f.kind === 'override' || f.kind === 'score_claim' || f.kind === 'scoring_instruction'));
    } else screenOne(inner.text, inner.compact, v.source, findings);
    if (findings.length > before || (v.source !== 'rot13' && v.source !== 'reversed')) shown.push(`[${v.source}] ${inner.text}`);
  }
  const taskAboutScoring = context.taskText ? TASK_SCORING.test(context.taskText) : false;
  const kept = taskAboutScoring ? findings.filter((f) => !VOCABULARY_KINDS.includes(f.kind) || f.source !== 'text' || expectedClaim(f, context.taskText!)) : findings;
  return { findings: kept, evasions: norm.evasions, normalisedText: shown.join('\n').slice(0, 4000) };
}

/** A score claim still counts in a scoring task when it is about the candidate's own work. */
function expectedClaim(f: IntentFinding, _taskText: string): boolean {
  return SELF.test(f.excerpt) || ADDRESSEE.test(f.excerpt);
}


