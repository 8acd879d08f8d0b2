import type { BlueprintProblem, BlueprintSection, Difficulty, ExamPart, QuestionType, SkillLevel } from '@aitrainer/contracts';
import { seededRandom, shuffled } from './seeded-random';

/** What paper drawing needs to know of a bank question (its current version). */
export interface BankQuestion {
  questionId: number;
  versionId: number;
  type: QuestionType;
  levels: readonly SkillLevel[];
  dutyArea: string;
  difficulty: Difficulty;
  /** Option keys, for shuffling; empty for other types. */
  optionKeys: readonly string[];
}

export interface PaperItem {
  questionId: number;
  versionId: number;
  type: QuestionType;
  section: number;
  points: number;
  /** Option keys in the order this candidate sees them. */
  optionOrder: string[];
}

export interface Paper {
  part: ExamPart;
  seed: string;
  items: PaperItem[];
}

const DIFFICULTY_ORDER: readonly Difficulty[] = ['easy', 'medium', 'hard'];

/** Whether a bank question may fill a blueprint section at the exam's level (type, level, duty areas). */
export function eligibleFor(section: BlueprintSection, level: SkillLevel, q: BankQuestion): boolean {
  if (q.type !== section.type || !q.levels.includes(level)) return false;
  return !section.dutyAreas?.length || section.dutyAreas.includes(q.dutyArea);
}

/**
 * Can every section be filled from the bank? A question serves at most one section (sections are filled in order,
 * so overlapping sections compete for the same questions). Returns every shortfall, with what is available.
 */
export function checkBlueprint(blueprint: readonly BlueprintSection[], level: SkillLevel, bank: readonly BankQuestion[]): BlueprintProblem[] {
  const problems: BlueprintProblem[] = [];
  const used = new Set<number>();
  blueprint.forEach((section, index) => {
    const pool = bank.filter((q) => !used.has(q.questionId) && eligibleFor(section, level, q));
    const mix = section.difficultyMix ?? {};
    let fixed = 0;
    for (const d of DIFFICULTY_ORDER) {
      const want = mix[d] ?? 0;
      fixed += want;
      const have = pool.filter((q) => q.difficulty === d).length;
      if (have < want) problems.push({ section: index, problem: `needs ${want} ${d} ${section.type} question(s) at level ${level}, the bank has ${have}`, available: have, required: want });
    }
    if (fixed > section.count) problems.push({ section: index, problem: `difficulty mix asks for ${fixed} questions but the section has ${section.count}`, available: section.count, required: fixed });
    if (pool.length < section.count) {
      problems.push({ section: index, problem: `needs ${section.count} ${section.type} question(s) at level ${level}${section.dutyAreas?.length ? ` in ${section.dutyAreas.join(', ')}` : ''}, the bank has ${pool.length}`, available: pool.length, required: section.count });
    }
    for (const q of pool.slice(0, section.count)) used.add(q.questionId);
  });
  return problems;
}

/**
 * Draws one candidate's paper for a part: the same seed, blueprint and bank always give the same paper. The bank is
 * sorted by question id first, so the order the database returns rows in does not matter.
 */
export function drawPaper(seed: string, part: ExamPart, blueprint: readonly BlueprintSection[], level: SkillLevel, bank: readonly BankQuestion[], shuffleOptions = true): Paper {
  const random = seededRandom(`${seed}:${part}`);
  const sorted = bank.slice().sort((a, b) => a.questionId - b.questionId);
  const used = new Set<number>();
  const items: PaperItem[] = [];
  blueprint.forEach((section, index) => {
    if (section.part !== part) return;
    const pool = sorted.filter((q) => !used.has(q.questionId) && eligibleFor(section, level, q));
    const picked: BankQuestion[] = [];
    const take = (candidates: BankQuestion[], n: number) => {
      for (const q of shuffled(candidates, random).slice(0, n)) {
        picked.push(q);
        used.add(q.questionId);
      }
    };
    for (const d of DIFFICULTY_ORDER) take(pool.filter((q) => q.difficulty === d), section.difficultyMix?.[d] ?? 0);
    take(pool.filter((q) => !used.has(q.questionId)), section.count - picked.length);
    if (picked.length < section.count) throw new Error(`section ${index} cannot be filled: ${picked.length} of ${section.count} questions`);
    for (const q of shuffled(picked, random)) {
      items.push({ questionId: q.questionId, versionId: q.versionId, type: q.type, section: index, points: section.points, optionOrder: shuffleOptions ? shuffled(q.optionKeys, random) : q.optionKeys.slice() });
    }
  });
  return { part, seed, items };
}
