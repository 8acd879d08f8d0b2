import { createHash, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

/**
 * VC-JWT (W3C VC-JOSE-COSE): a JWS compact serialisation whose payload is the credential itself, signed with
 * EdDSA over Ed25519 using node:crypto only.
 *
 * Header: `{ alg: 'EdDSA', kid, typ: 'vc+jwt' }` (the media type VC-JOSE-COSE registers; status lists use the same).
 * Payload: the credential plus the registered claims `iss` (= issuer.id), `jti` (= credential id), `iat`, `nbf`
 * (= validFrom) and `exp` (= validUntil, when set), so that any JOSE library (e.g. `jose`'s `jwtVerify`) checks the
 * signature and the dates without knowing about credentials.
 */
export interface Ed25519PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

export interface Jwks {
  keys: Ed25519PublicJwk[];
}

export interface CredentialSigner {
  kid: string;
  /** An Ed25519 private KeyObject; it never leaves the caller. */
  privateKey: KeyObject;
}

export interface JwsHeader {
  alg: string;
  kid?: string;
  typ?: string;
  [name: string]: unknown;
}

export const VC_JWT_TYPE = 'vc+jwt';
const REGISTERED_CLAIMS = ['iss', 'jti', 'iat', 'nbf', 'exp', 'sub', 'aud'] as const;

const b64url = (value: string | Uint8Array) => Buffer.from(value).toString('base64url');

/** RFC 7638 JWK thumbprint (SHA-256, base64url): a stable key id derived from the public key. */
export function jwkThumbprint(jwk: Pick<Ed25519PublicJwk, 'crv' | 'kty' | 'x'>): string {
  return createHash('sha256').update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x })).digest('base64url');
}

/** The public half of a key as a JWK; `publicKey` may be the private KeyObject (its public part is derived). */
export function publicJwk(key: KeyObject, kid?: string): Ed25519PublicJwk {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  if (publicKey.asymmetricKeyType !== 'ed25519') throw new TypeError('only Ed25519 keys are supported');
  const jwk = publicKey.export({ format: 'jwk' }) as { x: string };
  const base = { kty: 'OKP' as const, crv: 'Ed25519' as const, x: jwk.x };
  return { ...base, kid: kid ?? jwkThumbprint(base), alg: 'EdDSA', use: 'sig' };
}

/** The JWKS to publish: every key that signed something still valid (rotated keys stay listed). */
export function buildJwks(keys: readonly { kid: string; publicKey: KeyObject }[]): Jwks {
  const seen = new Set<string>();
  const out: Ed25519PublicJwk[] = [];
  for (const key of keys) {
    if (seen.has(key.kid)) throw new Error(`duplicate kid ${key.kid}`);
    seen.add(key.kid);
    out.push(publicJwk(key.publicKey, key.kid));
  }
  return { keys: out };
}

/** A new Ed25519 key pair whose kid is its JWK thumbprint. */
export function generateSigningKey(): { kid: string; privateKey: KeyObject; publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { kid: publicJwk(publicKey).kid, privateKey, publicKey };
}

function seconds(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`not a date: ${iso}`);
  return Math.floor(ms / 1000);
}

/** Signs a credential (a certificate or a status list) as a VC-JWT. */
export function signCredentialJwt(
  credential: { id: string; issuer: { id: string } | string; validFrom: string; validUntil?: string },
  signer: CredentialSigner,
  options: { issuedAt?: Date } = {},
): string {
  if (signer.privateKey.type !== 'private' || signer.privateKey.asymmetricKeyType !== 'ed25519') {
    throw new TypeError('signer.privateKey must be an Ed25519 private key');
  }
  for (const claim of REGISTERED_CLAIMS) {
    if (claim in credential) throw new Error(`credential must not carry the JWT claim "${claim}"`);
  }
  const issuerId = typeof credential.issuer === 'string' ? credential.issuer : credential.issuer.id;
  const header = { alg: 'EdDSA', kid: signer.kid, typ: VC_JWT_TYPE };
  const payload = {
    ...credential,
    iss: issuerId,
    jti: credential.id,
    iat: Math.floor((options.issuedAt ?? new Date()).getTime() / 1000),
    nbf: seconds(credential.validFrom),
    ...(credential.validUntil ? { exp: seconds(credential.validUntil) } : {}),
  };
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const signature = sign(null, Buffer.from(signingInput), signer.privateKey);
  return `${signingInput}.${b64url(signature)}`;
}

export type JwsVerification =
  | { ok: true; header: JwsHeader; payload: Record<string, unknown>; kid: string }
  | { ok: false; reason: string; header?: JwsHeader };

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export function isCompactJws(value: string): boolean {
  return COMPACT_JWS.test(value);
}

function parseJson(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Verifies a compact JWS against a JWKS: the key is chosen by the header's `kid`, so credentials signed with a
 * rotated-out key keep verifying as long as its public key stays in the JWKS. Only EdDSA/Ed25519 is accepted
 * (no `alg: none`, no algorithm confusion).
 */
export function verifyCompactJws(token: string, jwks: Jwks): JwsVerification {
  const value = token.trim();
  if (!isCompactJws(value)) return { ok: false, reason: 'not a compact JWS (three base64url parts)' };
  const [h, p, s] = value.split('.');
  const header = parseJson(h);
  if (!isObject(header) || typeof header['alg'] !== 'string') return { ok: false, reason: 'header is not a JSON object with alg' };
  const jwsHeader = header as JwsHeader;
  if (jwsHeader.alg !== 'EdDSA') return { ok: false, reason: `algorithm ${jwsHeader.alg} is not accepted (EdDSA only)`, header: jwsHeader };
  if (typeof jwsHeader.kid !== 'string' || !jwsHeader.kid) return { ok: false, reason: 'header has no kid', header: jwsHeader };
  const jwk = jwks.keys.find((k) => k.kid === jwsHeader.kid);
  if (!jwk) return { ok: false, reason: `no key with kid ${jwsHeader.kid} in the JWKS`, header: jwsHeader };
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') {
    return { ok: false, reason: `key ${jwk.kid} is not an Ed25519 OKP key`, header: jwsHeader };
  }
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' });
  } catch {
    return { ok: false, reason: `key ${jwk.kid} is malformed`, header: jwsHeader };
  }
  const signature = Buffer.from(s, 'base64url');
  if (!verify(null, Buffer.from(`${h}.${p}`), publicKey, signature)) {
    return { ok: false, reason: 'signature does not match (the credential was changed or signed with another key)', header: jwsHeader };
  }
  const payload = parseJson(p);
  if (!isObject(payload)) return { ok: false, reason: 'payload is not a JSON object', header: jwsHeader };
  return { ok: true, header: jwsHeader, payload, kid: jwsHeader.kid };
}

/** The credential inside a verified VC-JWT payload, without the JWT registered claims. */
export function credentialFromPayload(payload: Record<string, unknown>): Record<string, unknown> {
  const credential: Record<string, unknown> = { ...payload };
  for (const claim of REGISTERED_CLAIMS) delete credential[claim];
  return credential;
}

/** Reads the header and payload WITHOUT verifying (for display and diagnostics only). */
export function decodeCompactJwsUnverified(token: string): { header: JwsHeader; payload: Record<string, unknown> } | null {
  if (!isCompactJws(token.trim())) return null;
  const [h, p] = token.trim().split('.');
  const header = parseJson(h);
  const payload = parseJson(p);
  if (!isObject(header) || !isObject(payload)) return null;
  return { header: header as JwsHeader, payload };
}
