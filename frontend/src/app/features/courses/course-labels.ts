import type { DutyArea, SkillLevel } from '@aitrainer/contracts';
import type { MessageKey } from '../../core/i18n/messages.zh';

export const levelKey = (level: SkillLevel): MessageKey => `level.${level}` as MessageKey;
export const dutyAreaKey = (area: DutyArea): MessageKey => `duty.${area}` as MessageKey;

/** "12.5" hours from minutes, one decimal at most. */
export const hours = (minutes: number): string => String(Math.round((minutes / 60) * 10) / 10);
