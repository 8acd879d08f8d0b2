import { gunzipSync, gzipSync } from 'node:zlib';
import { VC_CONTEXT_V2 } from './credential';

/**
 * W3C Bitstring Status List v1.0: one bit per credential (statusSize 1), bit 0 is the most significant bit of the
 * first byte; `encodedList` is the Multibase base64url (prefix `u`, no padding) of the GZIP-compressed bitstring.
 * Lists hold at least 131,072 entries so that fetching a list does not reveal which credential is being checked.
 */
export const MIN_STATUS_LIST_LENGTH = 131_072;
/** Decoding refuses more than this many bytes of bitstring (a gzip bomb guard): 128 Mi entries. */
const MAX_DECODED_BYTES = 16 * 1024 * 1024;

export type StatusPurpose = 'revocation' | 'suspension';

export function createStatusBitstring(length: number = MIN_STATUS_LIST_LENGTH): Uint8Array {
  if (!Number.isInteger(length) || length < MIN_STATUS_LIST_LENGTH || length % 8 !== 0) {
    throw new RangeError(`length must be a multiple of 8 and at least ${MIN_STATUS_LIST_LENGTH}`);
  }
  return new Uint8Array(length / 8);
}

function position(bits: Uint8Array, index: number): [number, number] {
  if (!Number.isInteger(index) || index < 0 || index >= bits.length * 8) {
    throw new RangeError(`status index ${index} is outside the list (0-${bits.length * 8 - 1})`);
  }
  return [index >> 3, 0x80 >> (index & 7)];
}

export function getStatusBit(bits: Uint8Array, index: number): boolean {
  const [byte, mask] = position(bits, index);
  return (bits[byte] & mask) !== 0;
}

export function setStatusBit(bits: Uint8Array, index: number, value: boolean): void {
  const [byte, mask] = position(bits, index);
  bits[byte] = value ? bits[byte] | mask : bits[byte] & ~mask;
}

export function encodeStatusList(bits: Uint8Array): string {
  // Node's gzip header carries mtime 0, so the same bits always encode to the same text.
  return 'u' + gzipSync(bits, { level: 9 }).toString('base64url');
}

export function decodeStatusList(encodedList: string): Uint8Array {
  // A GZIP stream starts with 1f 8b, i.e. base64url "H4s": a leading "u" is the multibase prefix, never data.
  const text = encodedList.startsWith('u') ? encodedList.slice(1) : encodedList;
  if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new RangeError('encodedList is not base64url');
  let bytes: Buffer;
  try {
    bytes = gunzipSync(Buffer.from(text, 'base64url'), { maxOutputLength: MAX_DECODED_BYTES });
  } catch {
    throw new RangeError('encodedList is not a GZIP-compressed bitstring');
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export interface StatusListCredential {
  '@context': string[];
  id: string;
  type: ['VerifiableCredential', 'BitstringStatusListCredential'];
  issuer: { id: string; name: string };
  validFrom: string;
  validUntil?: string;
  credentialSubject: { id: string; type: 'BitstringStatusList'; statusPurpose: StatusPurpose; encodedList: string };
}

export function buildStatusListCredential(input: {
  /** The URL the list is served at (= statusListCredential in each entry). */
  id: string;
  issuer: { id: string; name: string };
  statusPurpose: StatusPurpose;
  bits: Uint8Array;
  validFrom: string;
  validUntil?: string;
}): StatusListCredential {
  return {
    '@context': [VC_CONTEXT_V2],
    id: input.id,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: { id: input.issuer.id, name: input.issuer.name },
    validFrom: input.validFrom,
    ...(input.validUntil ? { validUntil: input.validUntil } : {}),
    credentialSubject: { id: `${input.id}#list`, type: 'BitstringStatusList', statusPurpose: input.statusPurpose, encodedList: encodeStatusList(input.bits) },
  };
}
