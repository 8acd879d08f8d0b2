import type { IdDocumentType } from '@aitrainer/contracts';
import { validateResidentId, type ValidationResult } from './resident-id';

/** Validates an ID document number by its type; returns the normalized number to store. */
export function validateIdDocument(type: IdDocumentType, input: string, today: Date = new Date()): ValidationResult {
  const value = input.trim().toUpperCase();
  switch (type) {
    case 'resident_id':
      return validateResidentId(value, today);
    case 'hmt_residence_permit': {
      const result = validateResidentId(value, today);
      if (!result.valid) return result;
      return /^8[123]0000/.test(value)
        ? result
        : { valid: false, reason: 'a Hong Kong, Macao or Taiwan residence permit number starts with 810000, 820000 or 830000' };
    }
    case 'hk_macao_permit':
      return /^[HM]\d{8}(\d{2})?$/.test(value)
        ? { valid: true, normalized: value }
        : { valid: false, reason: 'must be H or M followed by 8 or 10 digits' };
    case 'taiwan_permit':
      return /^\d{8}(\d{2})?$/.test(value)
        ? { valid: true, normalized: value }
        : { valid: false, reason: 'must be 8 or 10 digits' };
    case 'passport':
      return /^[A-Z0-9]{5,20}$/.test(value)
        ? { valid: true, normalized: value }
        : { valid: false, reason: 'must be 5 to 20 letters or digits' };
    case 'foreign_permanent_resident':
      return /^([A-Z]{3}\d{12}|9\d{16}[\dX])$/.test(value)
        ? { valid: true, normalized: value }
        : { valid: false, reason: 'must be 15 characters (3 letters, 12 digits) or 18 starting with 9' };
    default:
      return { valid: false, reason: 'unknown ID document type' };
  }
}
