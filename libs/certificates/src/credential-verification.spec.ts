/* eslint-disable @typescript-eslint/no-explicit-any -- tampering with a signed payload needs free-form JSON */
import { createLocalJWKSet, jwtVerify } from 'jose';
import {
  MIN_STATUS_LIST_LENGTH,
  buildCertificateCredential,
  buildJwks,
  buildStatusListCredential,
  createStatusBitstring,
  decodeStatusList,
  encodeStatusList,
  formatEnterpriseCertificateNumber,
  extractCredentialJwt,
  generateSigningKey,
  getStatusBit,
  jwkThumbprint,
  prepareStatusLists,
  publicJwk,
  setStatusBit,
  signCredentialJwt,
  verificationPageUrl,
  verifyCertificateOffline,
  verifyCompactJws,
  type CertificateCredentialInput,
  type StatusPurpose,
} from './index';

const ENTERPRISE_NUMBER = formatEnterpriseCertificateNumber({ prefix: 'AIT', year: 2026, random: '7KQ3M9XW2P' });
const ISSUER = { id: 'https://certs.example.cn/issuers/1', name: '示例智能科技有限公司', creditCode: '91110108551385082Q' };
const REVOCATION_LIST = 'https://certs.example.cn/status/1/revocation';
const SUSPENSION_LIST = 'https://certs.example.cn/status/1/suspension';
const now = new Date('2026-12-01T00:00:00Z');

function skillInput(overrides: Partial<CertificateCredentialInput> = {}): CertificateCredentialInput {
  return {
    id: 'urn:uuid:7f1c6c3e-2b1e-4a51-9c57-3c0d5d1e0a01',
    kind: 'skill_level',
    issuer: ISSUER,
    number: 'Y000133010001264000042',
    holder: { name: '张堃', idDocumentType: 'resident_id', idNumberMasked: '110105********002X' },
    level: 4,
    trade: '数据标注员',
    issueDate: '2026-11-28',
    status: { revocation: { statusListCredential: REVOCATION_LIST, statusListIndex: 42 } },
    twin: { id: 'urn:uuid:7f1c6c3e-2b1e-4a51-9c57-3c0d5d1e0a02', kind: 'enterprise', number: ENTERPRISE_NUMBER },
    verificationUrl: verificationPageUrl('https://certs.example.cn', 'Y000133010001264000042'),
    ...overrides,
  };
}

function statusListJwt(purpose: StatusPurpose, setIndexes: number[], signer: { kid: string; privateKey: import('node:crypto').KeyObject }) {
  const bits = createStatusBitstring();
  for (const i of setIndexes) setStatusBit(bits, i, true);
  const credential = buildStatusListCredential({
    id: purpose === 'revocation' ? REVOCATION_LIST : SUSPENSION_LIST,
    issuer: ISSUER,
    statusPurpose: purpose,
    bits,
    validFrom: '2026-11-30T00:00:00Z',
  });
  return signCredentialJwt(credential, signer, { issuedAt: new Date('2026-11-30T00:00:00Z') });
}

/** Replaces the payload of a signed JWT, keeping header and signature: what a forger can do. */
function tamper(jwt: string, change: (payload: Record<string, any>) => void): string {
  const [h, p, s] = jwt.split('.');
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  change(payload);
  return `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
}

const keyA = generateSigningKey();
const keyB = generateSigningKey();
const jwksAB = buildJwks([keyA, keyB]);

describe('buildCertificateCredential', () => {
  it('carries every field of the national notice, masked ID, OB3 shape and twin link', () => {
    const c = buildCertificateCredential(skillInput({ trade: null }));
    expect(c['@context'][0]).toBe('https://www.w3.org/ns/credentials/v2');
    expect(c.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(c.name).toBe('职业技能等级证书');
    expect(c.issuer).toMatchObject({ id: ISSUER.id, type: ['Profile'], name: ISSUER.name });
    expect(c.validFrom).toBe('2026-11-28T00:00:00+08:00');
    expect(c.credentialSubject.certificate).toEqual({
      kind: 'skill_level',
      number: 'Y000133010001264000042',
      holderName: '张堃',
      idDocumentType: 'resident_id',
      idNumberMasked: '110105********002X',
      occupationName: '人工智能训练师',
      occupationCode: '4-04-05-05',
      trade: '--',
      level: 4,
      evaluationBody: ISSUER.name,
      issueDate: '2026-11-28',
      querySites: expect.arrayContaining([expect.stringContaining('osta.org.cn')]),
    });
    expect(c.credentialSubject.achievement.name).toContain('四级/中级工');
    // One credentialStatus (OB 3.0): revocation; suspension is the same index of the sibling list.
    expect(c.credentialStatus).toEqual({ id: `${REVOCATION_LIST}#42`, type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: '42', statusListCredential: REVOCATION_LIST });
    expect(c.twinCredential).toEqual({ id: 'urn:uuid:7f1c6c3e-2b1e-4a51-9c57-3c0d5d1e0a02', kind: 'enterprise', number: ENTERPRISE_NUMBER });
  });

  it.each([
    [{ holder: { name: '  ', idDocumentType: 'resident_id', idNumberMasked: '110105********002X' } }, 'holder name'],
    [{ holder: { name: '张堃', idDocumentType: 'resident_id', idNumberMasked: '11010519491231002X' } }, 'unmasked'],
    [{ issueDate: '2026/11/28' }, 'issueDate'],
  ])('refuses %o', (change, message) => {
    expect(() => buildCertificateCredential(skillInput(change as Partial<CertificateCredentialInput>))).toThrow(message);
  });
});

describe('VC-JWT signing and offline verification', () => {
  const skill = buildCertificateCredential(skillInput());
  const jwt = signCredentialJwt(skill, keyA, { issuedAt: now });
  const lists = [statusListJwt('revocation', [], keyA), statusListJwt('suspension', [], keyA)];

  it('an Ed25519 key signs with the header {alg: EdDSA, kid, typ: JWT}', () => {
    const header = JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url').toString());
    expect(header).toEqual({ alg: 'EdDSA', kid: keyA.kid, typ: 'JWT' });
    expect(keyA.kid).toBe(jwkThumbprint(publicJwk(keyA.publicKey)));
  });

  it('verifies a genuine credential as valid with every signed field', () => {
    const result = verifyCertificateOffline({ credential: jwt, jwks: jwksAB, statusLists: lists, now });
    expect(result.reasons).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.status).toBe('valid');
    expect(result.kid).toBe(keyA.kid);
    expect(result.fields).toMatchObject({ holderName: '张堃', level: 4, number: 'Y000133010001264000042' });
    expect(result.statusChecks.map((s) => [s.purpose, s.checked, s.set])).toEqual([
      ['revocation', true, false],
      ['suspension', true, false],
    ]);
  });

  it.each([
    ['the level', (p: any) => (p.credentialSubject.certificate.level = 3)],
    ['the holder name', (p: any) => (p.credentialSubject.certificate.holderName = '张坤')],
    ['the issue date', (p: any) => (p.credentialSubject.certificate.issueDate = '2025-11-28')],
    ['the issuer', (p: any) => (p.issuer.name = '别的公司')],
    ['the status index', (p: any) => (p.credentialStatus.statusListIndex = '43')],
    ['the twin', (p: any) => (p.twinCredential.number = 'AIT-2026-0000000000-0')],
  ])('a changed field fails verification: %s', (_field, change) => {
    const result = verifyCertificateOffline({ credential: tamper(jwt, change), jwks: jwksAB, statusLists: lists, now });
    expect(result.status).toBe('invalid');
    expect(result.reasons.join(' ')).toContain('signature does not match');
    expect(result.fields).toBeUndefined();
  });

  it.each([
    ['alg none', (h: any) => ({ ...h, alg: 'none' }), 'not accepted'],
    ['HS256', (h: any) => ({ ...h, alg: 'HS256' }), 'not accepted'],
    ['unknown kid', (h: any) => ({ ...h, kid: 'nope' }), 'no key with kid'],
    ['no kid', (h: any) => ({ alg: h.alg }), 'no kid'],
  ])('rejects a header with %s', (_case, change, reason) => {
    const [h, p, s] = jwt.split('.');
    const header = change(JSON.parse(Buffer.from(h, 'base64url').toString()));
    const forged = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${p}.${s}`;
    const result = verifyCertificateOffline({ credential: forged, jwks: jwksAB, now });
    expect(result.status).toBe('invalid');
    expect(result.reasons[0]).toContain(reason);
  });

  it('a rotated key still verifies old credentials; a credential by a key missing from the JWKS is invalid', () => {
    // keyA signed before rotation, keyB is current: the published JWKS keeps both.
    const newer = signCredentialJwt(buildCertificateCredential(skillInput({ id: 'urn:uuid:new' })), keyB, { issuedAt: now });
    expect(verifyCertificateOffline({ credential: jwt, jwks: jwksAB, statusLists: lists, now }).status).toBe('valid');
    expect(verifyCertificateOffline({ credential: newer, jwks: jwksAB, statusLists: lists, now })).toMatchObject({ status: 'valid', kid: keyB.kid });
    const onlyB = buildJwks([keyB]);
    expect(verifyCertificateOffline({ credential: jwt, jwks: onlyB, now }).reasons[0]).toContain(`no key with kid ${keyA.kid}`);
    // The same kid with another public key (a substituted JWKS) does not verify.
    const swapped = { keys: [{ ...publicJwk(keyB.publicKey), kid: keyA.kid }] };
    expect(verifyCertificateOffline({ credential: jwt, jwks: swapped, now }).status).toBe('invalid');
  });

  it('a revoked certificate reports revoked from the status list; suspended likewise; revoked wins', () => {
    const revoked = [statusListJwt('revocation', [42], keyB), statusListJwt('suspension', [], keyB)];
    expect(verifyCertificateOffline({ credential: jwt, jwks: jwksAB, statusLists: revoked, now })).toMatchObject({ status: 'revoked' });
    const suspended = [statusListJwt('revocation', [41, 43], keyB), statusListJwt('suspension', [42], keyB)];
    expect(verifyCertificateOffline({ credential: jwt, jwks: jwksAB, statusLists: suspended, now })).toMatchObject({ status: 'suspended' });
    const both = [statusListJwt('revocation', [42], keyB), statusListJwt('suspension', [42], keyB)];
    expect(verifyCertificateOffline({ credential: jwt, jwks: jwksAB, statusLists: both, now }).status).toBe('revoked');
  });

  it('prepared status lists (verified and decoded once, for many credentials) give the same answers', () => {
    const tokens = [statusListJwt('revocation', [42], keyA), statusListJwt('suspension', [], keyA), statusListJwt('revocation', [], generateSigningKey())];
    const prepared = prepareStatusLists(tokens, jwksAB);
    expect(prepared.lists.map((l) => l.purpose)).toEqual(['revocation', 'suspension']);
    expect(prepared.warnings).toEqual([expect.stringContaining('status list #3 ignored: no key with kid')]);
    const fromTokens = verifyCertificateOffline({ credential: jwt, jwks: jwksAB, statusLists: tokens, now });
    const fromPrepared = verifyCertificateOffline({ credential: jwt, jwks: jwksAB, preparedStatusLists: prepared, now });
    expect(fromPrepared).toEqual(fromTokens);
    expect(fromPrepared.status).toBe('revoked');
  });

  it('warns when no status list is supplied and ignores a list signed by an unknown key', () => {
    const none = verifyCertificateOffline({ credential: jwt, jwks: jwksAB, now });
    expect(none.status).toBe('valid');
    expect(none.warnings).toHaveLength(1);
    expect(none.warnings[0]).toContain('revocation status not checked');
    const stranger = generateSigningKey();
    const forgedList = statusListJwt('revocation', [], stranger);
    const result = verifyCertificateOffline({ credential: jwt, jwks: jwksAB, statusLists: [forgedList], now });
    expect(result.warnings.join(' ')).toContain('status list #1 ignored: no key with kid');
  });

  it('answers invalid before validFrom and after validUntil', () => {
    expect(verifyCertificateOffline({ credential: jwt, jwks: jwksAB, now: new Date('2026-11-27T10:00:00Z') }).reasons[0]).toContain('not yet valid');
    const expiring = signCredentialJwt(buildCertificateCredential(skillInput({ validUntil: '2026-11-30T00:00:00Z' })), keyA);
    expect(verifyCertificateOffline({ credential: expiring, jwks: jwksAB, now }).reasons[0]).toContain('expired');
  });

  it('catches a signed credential whose number does not fit its level (issuer-side bug)', () => {
    const wrong = signCredentialJwt(buildCertificateCredential(skillInput({ number: 'Y000133010001265000042' })), keyA, { issuedAt: now });
    expect(verifyCertificateOffline({ credential: wrong, jwks: jwksAB, now }).reasons).toContain('the level digit of the number does not match the level');
  });

  it('reads the credential from QR/URL content and explains a lookup-only QR', () => {
    expect(extractCredentialJwt(`https://certs.example.cn/verify#vc=${jwt}`)).toBe(jwt);
    expect(extractCredentialJwt(`https://certs.example.cn/verify?number=Y1&vc=${jwt}`)).toBe(jwt);
    expect(extractCredentialJwt(`  ${jwt}\n`)).toBe(jwt);
    const lookupOnly = verifyCertificateOffline({ credential: verificationPageUrl('https://certs.example.cn', 'Y000133010001264000042'), jwks: jwksAB, now });
    expect(lookupOnly.status).toBe('invalid');
    expect(lookupOnly.reasons[0]).toContain('no VC-JWT found');
  });

  it('the enterprise twin verifies too', () => {
    const enterprise = buildCertificateCredential(
      skillInput({ id: 'urn:uuid:7f1c6c3e-2b1e-4a51-9c57-3c0d5d1e0a02', kind: 'enterprise', number: ENTERPRISE_NUMBER, twin: { id: skill.id, kind: 'skill_level', number: skill.credentialSubject.certificate.number } }),
    );
    expect(enterprise.name).toBe('企业认证证书');
    const result = verifyCertificateOffline({ credential: signCredentialJwt(enterprise, keyB), jwks: jwksAB, statusLists: lists, now });
    expect(result).toMatchObject({ status: 'valid', reasons: [], fields: { kind: 'enterprise', number: ENTERPRISE_NUMBER } });
    expect(result.credential?.twinCredential).toEqual({ id: skill.id, kind: 'skill_level', number: 'Y000133010001264000042' });
    const badCheck = signCredentialJwt(buildCertificateCredential(skillInput({ kind: 'enterprise', number: ENTERPRISE_NUMBER.slice(0, -1) + (ENTERPRISE_NUMBER.endsWith('A') ? 'B' : 'A') })), keyB);
    expect(verifyCertificateOffline({ credential: badCheck, jwks: jwksAB, now }).reasons[0]).toContain('check character');
  });
});

describe('interoperability with the jose library', () => {
  it('jose.jwtVerify accepts our VC-JWT against our JWKS and returns the credential', async () => {
    const credential = buildCertificateCredential(skillInput());
    const jwt = signCredentialJwt(credential, keyB, { issuedAt: now });
    const jwks = createLocalJWKSet(JSON.parse(JSON.stringify(jwksAB)));
    const { payload, protectedHeader } = await jwtVerify(jwt, jwks, { issuer: ISSUER.id, typ: 'JWT', algorithms: ['EdDSA'], currentDate: now });
    expect(protectedHeader).toEqual({ alg: 'EdDSA', kid: keyB.kid, typ: 'JWT' });
    expect(payload.jti).toBe(credential.id);
    expect((payload as any).credentialSubject.certificate.holderName).toBe('张堃');
    expect(await jwtVerify(tamper(jwt, (p) => (p.credentialSubject.certificate.level = 5)), jwks).catch((e: Error) => e.name)).toBe('JWSSignatureVerificationFailed');
  });

  it('our verifier agrees with jose on the status-list credential too', async () => {
    const list = statusListJwt('revocation', [7], keyA);
    const { payload } = await jwtVerify(list, createLocalJWKSet(JSON.parse(JSON.stringify(jwksAB))), { currentDate: now });
    expect((payload as any).credentialSubject.type).toBe('BitstringStatusList');
    expect(verifyCompactJws(list, jwksAB).ok).toBe(true);
  });
});

describe('Bitstring Status List encoding', () => {
  it('bit 0 is the most significant bit of the first byte', () => {
    const bits = createStatusBitstring();
    setStatusBit(bits, 0, true);
    setStatusBit(bits, 9, true);
    expect(bits[0]).toBe(0x80);
    expect(bits[1]).toBe(0x40);
    setStatusBit(bits, 0, false);
    expect(bits[0]).toBe(0);
  });

  it('round-trips through GZIP + multibase base64url, deterministically', () => {
    const bits = createStatusBitstring();
    for (const i of [0, 1, 42, 99_999, MIN_STATUS_LIST_LENGTH - 1]) setStatusBit(bits, i, true);
    const encoded = encodeStatusList(bits);
    expect(encoded).toMatch(/^uH4sI[A-Za-z0-9_-]+$/);
    expect(encodeStatusList(bits)).toBe(encoded);
    const decoded = decodeStatusList(encoded);
    expect(decoded.length).toBe(MIN_STATUS_LIST_LENGTH / 8);
    expect([0, 1, 2, 42, 43, 99_999, MIN_STATUS_LIST_LENGTH - 1].map((i) => getStatusBit(decoded, i))).toEqual([true, true, false, true, false, true, true]);
    expect(decodeStatusList(encoded.slice(1))).toEqual(decoded); // without the multibase prefix (older StatusList2021 lists)
  });

  it.each([
    [() => createStatusBitstring(1024), 'at least 131072'],
    [() => getStatusBit(createStatusBitstring(), MIN_STATUS_LIST_LENGTH), 'outside the list'],
    [() => decodeStatusList('u!!!'), 'not base64url'],
    [() => decodeStatusList('uAAAA'), 'not a GZIP'],
  ])('refuses bad input %#', (run, message) => {
    expect(run).toThrow(message);
  });
});
