import { SKILL_LEVELS, type SkillLevel } from '@aitrainer/contracts';

/** National skill levels (职业技能等级), shared with the contracts: 5 = 五级/初级工 (entry) … 1 = 一级/高级技师 (highest). */
export { SKILL_LEVELS, type SkillLevel };

/** The level as it must be written on the certificate (人社鉴发〔2021〕1号). */
export const SKILL_LEVEL_NAMES: Readonly<Record<SkillLevel, string>> = {
  5: '五级/初级工',
  4: '四级/中级工',
  3: '三级/高级工',
  2: '二级/技师',
  1: '一级/高级技师',
};

export function isSkillLevel(value: unknown): value is SkillLevel {
  return value === 1 || value === 2 || value === 3 || value === 4 || value === 5;
}

export function skillLevelName(level: SkillLevel): string {
  return SKILL_LEVEL_NAMES[level];
}

/** The level digit for a printed name such as `四级/中级工`, or null when the text is not one of the five. */
export function skillLevelFromName(name: string): SkillLevel | null {
  for (const level of SKILL_LEVELS) if (SKILL_LEVEL_NAMES[level] === name) return level;
  return null;
}

/** The occupation these certificates are for (2021 national standard). */
export const AI_TRAINER_OCCUPATION = { name: '人工智能训练师', code: '4-04-05-05' } as const;

/** Printed in the 工种/职业方向 field when the certificate names no sub-trade: never blank. */
export const NO_TRADE = '--';
