import { DomainError } from '../errors/domain-error';
import { decodeText, TextEncodingError } from './decode-text';

/** `decodeText` for an uploaded file: an encoding it refuses is a 400 on `field` naming what was found. */
export function decodeUpload(bytes: Buffer, field = 'file'): string {
  try {
    return decodeText(bytes).text;
  } catch (e) {
    if (e instanceof TextEncodingError) throw DomainError.validation(field, e.coded);
    throw e;
  }
}
