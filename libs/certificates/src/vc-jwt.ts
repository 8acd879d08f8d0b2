import { createHash, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

/**
 * VC-JWT as Open Badges 3.0 says (its "JSON Web Token Proof Format"): a JWS compact serialisation whose payload is the
 * credential itself, with node:crypto only.
 *
 * Header: `{ alg, kid, typ: 'JWT' }`. `alg` is RS256 (the minimum OB 3.0 requires of every implementation) or ES256;
 * EdDSA is still accepted on verification because certificates issued before OB 3.0 conformance were signed with it.
 * `kid` is a URL that dereferences to the public JWK (`<issuer>/keys/<RFC 7638 thumbprint>`).
 * Payload: the credential plus `iss` (= issuer.id), `sub` (= credentialSubject.id), `jti` (= id), `iat`, `nbf`
 * (= validFrom) and `exp` (= validUntil, when set), so any JOSE library (e.g. `jose`'s `jwtVerify`) checks the
 * signature and the dates without knowing about credentials.
 */
export type JwsAlgorithm = 'RS256' | 'ES256' | 'EdDSA';

interface JwkCommon {
  kid: string;
  alg: JwsAlgorithm;
  use: 'sig';
}
export interface Ed25519PublicJwk extends JwkCommon {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
}
export interface RsaPublicJwk extends JwkCommon {
  kty: 'RSA';
  n: string;
  e: string;
}
export interface EcPublicJwk extends JwkCommon {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
}
export type PublicJwk = Ed25519PublicJwk | RsaPublicJwk | EcPublicJwk;

export interface Jwks {
  keys: PublicJwk[];
}

export interface CredentialSigner {
  /** The header's kid: a URL that dereferences to the public JWK (a bare thumbprint for legacy Ed25519 keys). */
  kid: string;
  /** An RSA (2048+), P-256 or Ed25519 private KeyObject; it never leaves the caller. */
  privateKey: KeyObject;
}

export interface JwsHeader {
  alg: string;
  kid?: string;
  typ?: string;
  [name: string]: unknown;
}

/** OB 3.0: "typ" of a VC-JWT is "JWT". Credentials issued before that carry "vc+jwt" and still verify. */
export const VC_JWT_TYPE = 'JWT';
export const LEGACY_VC_JWT_TYPE = 'vc+jwt';
const REGISTERED_CLAIMS = ['iss', 'jti', 'iat', 'nbf', 'exp', 'sub', 'aud'] as const;

const b64url = (value: string | Uint8Array) => Buffer.from(value).toString('base64url');

/** RFC 7638 JWK thumbprint (SHA-256, base64url) over the required members in lexicographic order. */
export function jwkThumbprint(jwk: { kty: string; crv?: string; x?: string; y?: string; n?: string; e?: string }): string {
  const members =
    jwk.kty === 'RSA' ? { e: jwk.e, kty: jwk.kty, n: jwk.n } : jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

/** The JWS algorithm a key signs with: RS256 for RSA, ES256 for P-256, EdDSA for Ed25519. */
export function keyAlgorithm(key: KeyObject): JwsAlgorithm {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw new TypeError('only RSA, P-256 and Ed25519 keys are supported');
}

/** The public half of a key as a JWK; `key` may be the private KeyObject (its public part is derived). */
export function publicJwk(key: KeyObject, kid?: string): PublicJwk {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const alg = keyAlgorithm(publicKey);
  const jwk = publicKey.export({ format: 'jwk' }) as { x?: string; y?: string; n?: string; e?: string };
  const base =
    alg === 'RS256'
      ? { kty: 'RSA' as const, n: jwk.n as string, e: jwk.e as string }
      : alg === 'ES256'
        ? { kty: 'EC' as const, crv: 'P-256' as const, x: jwk.x as string, y: jwk.y as string }
        : { kty: 'OKP' as const, crv: 'Ed25519' as const, x: jwk.x as string };
  return { ...base, kid: kid ?? jwkThumbprint(base), alg, use: 'sig' } as PublicJwk;
}

/** The JWKS to publish: every key that signed something still valid (rotated keys stay listed). */
export function buildJwks(keys: readonly { kid: string; publicKey: KeyObject }[]): Jwks {
  const seen = new Set<string>();
  const out: PublicJwk[] = [];
  for (const key of keys) {
    if (seen.has(key.kid)) throw new Error(`duplicate kid ${key.kid}`);
    seen.add(key.kid);
    out.push(publicJwk(key.publicKey, key.kid));
  }
  return { keys: out };
}

/** A new key pair whose kid is its JWK thumbprint: RSA 2048 (RS256), P-256 (ES256) or Ed25519 (EdDSA, the default). */
export function generateSigningKey(alg: JwsAlgorithm = 'EdDSA'): { kid: string; privateKey: KeyObject; publicKey: KeyObject } {
  const { privateKey, publicKey } =
    alg === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 })
      : alg === 'ES256'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : generateKeyPairSync('ed25519');
  return { kid: publicJwk(publicKey).kid, privateKey, publicKey };
}

function seconds(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`not a date: ${iso}`);
  return Math.floor(ms / 1000);
}

function signBytes(alg: JwsAlgorithm, data: Buffer, key: KeyObject): Buffer {
  if (alg === 'EdDSA') return sign(null, data, key);
  if (alg === 'ES256') return sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
  return sign('sha256', data, key);
}

function verifyBytes(alg: JwsAlgorithm, data: Buffer, key: KeyObject, signature: Buffer): boolean {
  if (alg === 'EdDSA') return verify(null, data, key, signature);
  if (alg === 'ES256') return verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
  return verify('sha256', data, key, signature);
}

/** Signs a credential (a certificate or a status list) as a VC-JWT with the algorithm of the signer's key. */
export function signCredentialJwt(
  credential: { id: string; issuer: { id: string } | string; validFrom: string; validUntil?: string; credentialSubject?: unknown },
  signer: CredentialSigner,
  options: { issuedAt?: Date } = {},
): string {
  if (signer.privateKey.type !== 'private') throw new TypeError('signer.privateKey must be a private key');
  const alg = keyAlgorithm(signer.privateKey);
  for (const claim of REGISTERED_CLAIMS) {
    if (claim in credential) throw new Error(`credential must not carry the JWT claim "${claim}"`);
  }
  const issuerId = typeof credential.issuer === 'string' ? credential.issuer : credential.issuer.id;
  const subject = credential.credentialSubject as { id?: unknown } | undefined;
  const header = { alg, kid: signer.kid, typ: VC_JWT_TYPE };
  const payload = {
    ...credential,
    iss: issuerId,
    ...(subject && typeof subject.id === 'string' ? { sub: subject.id } : {}),
    jti: credential.id,
    iat: Math.floor((options.issuedAt ?? new Date()).getTime() / 1000),
    nbf: seconds(credential.validFrom),
    ...(credential.validUntil ? { exp: seconds(credential.validUntil) } : {}),
  };
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const signature = signBytes(alg, Buffer.from(signingInput), signer.privateKey);
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
 * The JWKS entry for a kid: the entry with that exact kid, else (a kid URL `…/keys/<thumbprint>` seen from another
 * base URL, or a bare thumbprint) the entry whose own RFC 7638 thumbprint is the kid's last path segment: the key is
 * named by its own hash, so this cannot pick a wrong key.
 */
export function findJwk(jwks: Jwks, kid: string): PublicJwk | undefined {
  const exact = jwks.keys.find((k) => k.kid === kid);
  if (exact) return exact;
  const segment = kid.split(/[/#:]/).pop() ?? '';
  return segment ? jwks.keys.find((k) => jwkThumbprint(k) === segment) : undefined;
}

const ALGORITHMS: readonly JwsAlgorithm[] = ['RS256', 'ES256', 'EdDSA'];

/**
 * Verifies a compact JWS against a JWKS: the key is chosen by the header's `kid`, so credentials signed with a
 * rotated-out key keep verifying as long as its public key stays in the JWKS. RS256, ES256 and EdDSA are accepted,
 * each only with its own key type (no `alg: none`, no algorithm confusion).
 */
export function verifyCompactJws(token: string, jwks: Jwks): JwsVerification {
  const value = token.trim();
  if (!isCompactJws(value)) return { ok: false, reason: 'not a compact JWS (three base64url parts)' };
  const [h, p, s] = value.split('.');
  const header = parseJson(h);
  if (!isObject(header) || typeof header['alg'] !== 'string') return { ok: false, reason: 'header is not a JSON object with alg' };
  const jwsHeader = header as JwsHeader;
  const alg = jwsHeader.alg as JwsAlgorithm;
  if (!ALGORITHMS.includes(alg)) return { ok: false, reason: `algorithm ${jwsHeader.alg} is not accepted (RS256, ES256 or EdDSA)`, header: jwsHeader };
  if (typeof jwsHeader.kid !== 'string' || !jwsHeader.kid) return { ok: false, reason: 'header has no kid', header: jwsHeader };
  const jwk = findJwk(jwks, jwsHeader.kid);
  if (!jwk) return { ok: false, reason: `no key with kid ${jwsHeader.kid} in the JWKS`, header: jwsHeader };
  const expectedKty = alg === 'RS256' ? 'RSA' : alg === 'ES256' ? 'EC' : 'OKP';
  if (jwk.kty !== expectedKty) return { ok: false, reason: `key ${jwk.kid} is not a ${expectedKty} key (alg ${alg})`, header: jwsHeader };
  let publicKey: KeyObject;
  try {
    const { kid: _kid, alg: _alg, use: _use, ...material } = jwk;
    publicKey = createPublicKey({ key: material as unknown as import('node:crypto').JsonWebKey, format: 'jwk' });
    if (keyAlgorithm(publicKey) !== alg) throw new TypeError('key does not match alg');
  } catch {
    return { ok: false, reason: `key ${jwk.kid} is malformed`, header: jwsHeader };
  }
  const signature = Buffer.from(s, 'base64url');
  if (!verifyBytes(alg, Buffer.from(`${h}.${p}`), publicKey, signature)) {
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
