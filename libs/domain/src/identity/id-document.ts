import type { IdDocumentType } from '@aitrainer/contracts';
import { invalidResult, validateResidentId, type ValidationResult } from './resident-id';

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
        : invalidResult('HMT_PERMIT_PREFIX');
    }
    case 'hk_macao_permit':
      return /^[HM]\d{8}(\d{2})?$/.test(value)
        ? { valid: true, normalized: value }
        : invalidResult('HK_MACAO_PERMIT_FORMAT');
    case 'taiwan_permit':
      return /^\d{8}(\d{2})?$/.test(value)
        ? { valid: true, normalized: value }
        : invalidResult('TAIWAN_PERMIT_FORMAT');
    case 'passport':
      return /^[A-Z0-9]{5,20}$/.test(value)
        ? { valid: true, normalized: value }
        : invalidResult('PASSPORT_FORMAT');
    case 'foreign_permanent_resident':
      return /^([A-Z]{3}\d{12}|9\d{16}[\dX])$/.test(value)
        ? { valid: true, normalized: value }
        : invalidResult('FOREIGN_RESIDENT_FORMAT');
    default:
      return invalidResult('ID_TYPE_UNKNOWN');
  }
}
