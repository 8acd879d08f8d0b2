/* eslint-disable @typescript-eslint/no-explicit-any -- tampering with signed documents needs free-form JSON */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import {
  buildCertificateCredential,
  buildJwks,
  buildStatusListCredential,
  createStatusBitstring,
  decodeCompactJwsUnverified,
  generateSigningKey,
  idNumberMatches,
  setStatusBit,
  signCredentialDataIntegrity,
  signCredentialJwt,
  verifyCertificateDocumentOffline,
  verifyCertificateOffline,
  type CertificateCredentialInput,
} from './index';
import { ob3Validator } from './ob3-schema';

const ISSUER = { id: 'https://certs.example.cn/issuers/1', name: '示例智能科技有限公司', url: 'https://certs.example.cn' };
const REVOCATION = 'https://certs.example.cn/api/v1/status-lists/1/revocation';
const SUSPENSION = 'https://certs.example.cn/api/v1/status-lists/1/suspension';
const now = new Date('2026-12-01T00:00:00Z');
const validate = ob3Validator();

const rsa = generateSigningKey('RS256');
const es = generateSigningKey('ES256');
const ed = generateSigningKey('EdDSA');
const rsaSigner = { kid: `${ISSUER.id}/keys/${rsa.kid}`, privateKey: rsa.privateKey };
const jwks = buildJwks([{ kid: rsaSigner.kid, publicKey: rsa.publicKey }, { kid: `${ISSUER.id}/keys/${es.kid}`, publicKey: es.publicKey }, { kid: ed.kid, publicKey: ed.publicKey }]);

function input(overrides: Partial<CertificateCredentialInput> = {}): CertificateCredentialInput {
  return {
    id: 'urn:uuid:7f1c6c3e-2b1e-4a51-9c57-3c0d5d1e0a01',
    kind: 'skill_level',
    issuer: ISSUER,
    number: 'Y000133010001264000042',
    holder: { name: '张堃', idDocumentType: 'resident_id', idNumberMasked: '110105********002X', subjectId: 'urn:uuid:0b6f0e9e-5d0e-4c7e-8a7e-1f2d3c4b5a69', idNumber: '11010519900307002x' },
    level: 4,
    issueDate: '2026-11-28',
    status: { revocation: { statusListCredential: REVOCATION, statusListIndex: 42 } },
    ...overrides,
  };
}

function list(purpose: 'revocation' | 'suspension', set: number[]): string {
  const bits = createStatusBitstring();
  for (const i of set) setStatusBit(bits, i, true);
  return signCredentialJwt(buildStatusListCredential({ id: purpose === 'revocation' ? REVOCATION : SUSPENSION, issuer: ISSUER, statusPurpose: purpose, bits, validFrom: '2026-11-30T00:00:00Z' }), rsaSigner);
}

describe('OB 3.0 VC-JWT', () => {
  const credential = buildCertificateCredential(input());
  const jwt = signCredentialJwt(credential, rsaSigner, { issuedAt: now });

  it('is RS256 with typ JWT and a kid URL naming the key; ES256 keys sign too', () => {
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'RS256', typ: 'JWT', kid: `${ISSUER.id}/keys/${rsa.kid}` });
    const esJwt = signCredentialJwt(credential, { kid: `${ISSUER.id}/keys/${es.kid}`, privateKey: es.privateKey });
    expect(decodeProtectedHeader(esJwt).alg).toBe('ES256');
    expect(verifyCertificateOffline({ credential: esJwt, jwks, now }).status).toBe('valid');
  });

  it('maps iss, sub, jti, nbf from the credential and jose verifies it with the JWKS alone', async () => {
    const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(jwks as any), { currentDate: now, typ: 'JWT' });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload.iss).toBe(ISSUER.id);
    expect(payload.sub).toBe('urn:uuid:0b6f0e9e-5d0e-4c7e-8a7e-1f2d3c4b5a69');
    expect(payload.jti).toBe(credential.id);
    expect(payload.nbf).toBe(Date.parse('2026-11-28T00:00:00+08:00') / 1000);
    const withExpiry = signCredentialJwt(buildCertificateCredential(input({ validUntil: '2031-11-28T00:00:00+08:00' })), rsaSigner);
    expect(decodeCompactJwsUnverified(withExpiry)?.payload['exp']).toBe(Date.parse('2031-11-28T00:00:00+08:00') / 1000);
  });

  it('its payload passes the official 1EdTech AchievementCredential schema with one credentialStatus', () => {
    const payload = decodeCompactJwsUnverified(jwt)!.payload;
    expect(validate(payload)).toEqual([]);
    expect(Array.isArray(payload['credentialStatus'])).toBe(false);
    // the schema is not a rubber stamp: the pre-OB 3.0 shape fails it
    expect(validate({ ...payload, credentialStatus: [credential.credentialStatus, credential.credentialStatus] })).not.toEqual([]);
    expect(validate({ ...payload, credentialSubject: { ...credential.credentialSubject, identifier: [{ type: 'IdentityObject', hashed: 'no' }] } })).not.toEqual([]);
  });

  it('carries the ID number only salted and hashed, and a bureau holding the number can match it', () => {
    const text = JSON.stringify(credential);
    expect(text).not.toMatch(/11010519900307002/i);
    const id = credential.credentialSubject.identifier.find((i) => i.identityType === 'nationalIdentityNumber')!;
    expect(id).toMatchObject({ type: 'IdentityObject', hashed: true });
    expect(id.identityHash).toMatch(/^sha256\$[0-9a-f]{64}$/);
    expect(idNumberMatches(credential, '11010519900307002X')).toBe(true);
    expect(idNumberMatches(credential, '110105199003070021')).toBe(false);
  });

  it('suspension and revocation: one entry in the credential, the sibling suspension list checked when supplied', () => {
    expect(verifyCertificateOffline({ credential: jwt, jwks, statusLists: [list('revocation', []), list('suspension', [42])], now }).status).toBe('suspended');
    expect(verifyCertificateOffline({ credential: jwt, jwks, statusLists: [list('revocation', [42]), list('suspension', [42])], now }).status).toBe('revoked');
    expect(verifyCertificateOffline({ credential: jwt, jwks, statusLists: [list('revocation', [41]), list('suspension', [43])], now }).status).toBe('valid');
  });

  it('rejects one changed field, and a kid from another base URL still finds the key by its thumbprint', () => {
    const [h, p, s] = jwt.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    payload.credentialSubject.certificate.level = 3;
    expect(verifyCertificateOffline({ credential: `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`, jwks, now }).status).toBe('invalid');
    const moved = signCredentialJwt(credential, { kid: `http://localhost:8080/issuers/1/keys/${rsa.kid}`, privateKey: rsa.privateKey });
    expect(verifyCertificateOffline({ credential: moved, jwks, now }).status).toBe('valid');
    const otherKey = generateSigningKey('RS256');
    const forged = signCredentialJwt(credential, { kid: rsaSigner.kid, privateKey: otherKey.privateKey });
    expect(verifyCertificateOffline({ credential: forged, jwks, now }).reasons.join()).toMatch(/signature does not match/);
  });
});

describe('OB 3.0 embedded proof (eddsa-rdfc-2022)', () => {
  const credential = buildCertificateCredential(input());
  let signed: Record<string, any>;
  beforeAll(async () => {
    signed = await signCredentialDataIntegrity(credential as any, ed.privateKey, { created: now });
  });

  it('passes the official schema and carries a DataIntegrityProof', () => {
    expect(validate(signed)).toEqual([]);
    expect(signed['proof']).toMatchObject({ type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022', proofPurpose: 'assertionMethod', verificationMethod: `${ISSUER.id}#${ed.kid}` });
  });

  it('verifies offline with the JWKS and answers the status lists like the JWT form', async () => {
    expect(await verifyCertificateDocumentOffline(signed, { jwks, now })).toMatchObject({ status: 'valid' });
    expect((await verifyCertificateDocumentOffline(signed, { jwks, statusLists: [list('revocation', [42])], now })).status).toBe('revoked');
  });

  it('rejects one changed field and a key the JWKS does not hold', async () => {
    const tampered = structuredClone(signed);
    tampered['credentialSubject'].certificate.holderName = '张三';
    const answer = await verifyCertificateDocumentOffline(tampered, { jwks, now });
    expect(answer.status).toBe('invalid');
    const stranger = buildJwks([{ kid: 'x', publicKey: generateSigningKey('EdDSA').publicKey }]);
    expect((await verifyCertificateDocumentOffline(signed, { jwks: stranger, now })).status).toBe('invalid');
  });
});

describe('certificates issued before OB 3.0 conformance (test-fixtures/legacy-2026-12)', () => {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-fixtures', 'legacy-2026-12');
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  const legacyJwks = JSON.parse(read('jwks.json'));
  const lists = [read('revocation.jwt'), read('suspension.jwt')];
  const at = new Date('2026-12-06T00:00:00Z');

  it('still verify offline: EdDSA, typ vc+jwt, two status entries, each state answered', () => {
    expect(decodeProtectedHeader(read('valid.jwt'))).toMatchObject({ alg: 'EdDSA', typ: 'vc+jwt' });
    expect(verifyCertificateOffline({ credential: read('valid.jwt'), jwks: legacyJwks, statusLists: lists, now: at })).toMatchObject({ status: 'valid', reasons: [] });
    expect(verifyCertificateOffline({ credential: read('suspended.jwt'), jwks: legacyJwks, statusLists: lists, now: at }).status).toBe('suspended');
  });

  it('still verify next to the new keys (one JWKS holding both), and a changed field is still caught', () => {
    const merged = { keys: [...jwks.keys, ...legacyJwks.keys] };
    expect(verifyCertificateOffline({ credential: read('valid.jwt'), jwks: merged, now: at }).status).toBe('valid');
    const [h, p, s] = read('valid.jwt').split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    payload.credentialSubject.certificate.holderName = '张三';
    expect(verifyCertificateOffline({ credential: `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`, jwks: merged, now: at }).status).toBe('invalid');
  });
});
