/* eslint-disable @typescript-eslint/no-explicit-any -- signed documents are free-form JSON */
import type { Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { decodeCompactJwsUnverified, decodeStatusList, getStatusBit, idNumberMatches, offlineDocumentLoader, OB3_CONTEXT, VC_CONTEXT_V2, type Jwks } from '@aitrainer/certificates';
import type { LoginResponse } from '@aitrainer/contracts';
import { ob3Validator } from './support/ob3-schema';
import { CertificateIssuanceService } from '../src/certificates/certificate-issuance.service';
import { followListenedPort } from '../src/infra/config/public-base-url';
import { bearer, startTestEnv, type TestEnv } from './support/test-app';

/**
 * Open Badges 3.0 conformance of what the running product issues (issue 19): the VC-JWT and the wallet JSON pass
 * the official 1EdTech schema, verify with independent libraries given only the credential and the server's URLs,
 * every URL in them answers 200 with the right content type, and suspension/revocation are answered.
 */
describe('OB 3.0 certificates from the running server', () => {
  let env: TestEnv;
  let base: string;
  let admin: LoginResponse;
  let student: LoginResponse;
  let portalDir: string;
  const validate = ob3Validator();
  let skill: { id: number; jwt: string; number: string };
  let enterprise: { id: number; jwt: string; number: string };

  beforeAll(async () => {
    portalDir = mkdtempSync(join(tmpdir(), 'aitrainer-portal-'));
    writeFileSync(join(portalDir, 'index.html'), '<!doctype html><title>portal</title>');
    env = await startTestEnv({ PORTAL_DIR: portalDir });
    await env.app.listen(0, '127.0.0.1');
    followListenedPort(env.config, env.app.getHttpServer() as Server);
    base = env.config.publicBaseUrl;
    admin = await env.login('org_admin');
    student = await env.login('student');
    await env.http().put('/api/v1/certificates/issuer-settings').set(bearer(admin.accessToken)).send({ kind: 'Y', evaluationBodyCode: '0001', provinceCode: '33', siteSerial: '010001', enterprisePrefix: 'AIT' }).expect(200);
    await env.http().post('/api/v1/certificates/signing-keys/rotate').set(bearer(admin.accessToken)).expect(200);
    const pair = await env.app.get(CertificateIssuanceService).issuePair({
      resultId: 9001, holderUserId: student.user.id, level: 4, trade: null, sessionId: null, issuerId: admin.user.organisation!.id,
      parts: [{ part: 'theory', scaled: 80, passed: true }, { part: 'practical', scaled: 75, passed: true }],
    });
    skill = pair.skill;
    enterprise = pair.enterprise;
  });

  afterAll(async () => {
    await env?.close();
    rmSync(portalDir, { recursive: true, force: true });
  });

  it('the embedded default signs the port it actually listens on', () => {
    expect(base).toBe(`http://localhost:${(env.app.getHttpServer() as Server).address() && ((env.app.getHttpServer() as Server).address() as { port: number }).port}`);
    expect(base).not.toBe('http://localhost:3000');
    expect(decodeCompactJwsUnverified(skill.jwt)!.payload['iss']).toBe(`${base}/issuers/${admin.user.organisation!.id}`);
  });

  it('VC-JWT: RS256, typ JWT, and jose verifies it with the key found through kid from the server alone', async () => {
    const header = decodeProtectedHeader(skill.jwt);
    expect(header).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(String(header.kid)).toMatch(new RegExp(`^${base}/issuers/\\d+/keys/[A-Za-z0-9_-]{43}$`));
    const res = await fetch(String(header.kid));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/jwk\+json/);
    const jwk = (await res.json()) as Parameters<typeof importJWK>[0];
    const { payload } = await jwtVerify(skill.jwt, await importJWK(jwk, 'RS256'), { typ: 'JWT', issuer: `${base}/issuers/${admin.user.organisation!.id}` });
    expect(payload.jti).toBe((payload as any).id);
    expect(payload.sub).toBe((payload as any).credentialSubject.id);
    expect(payload.sub).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(payload.nbf).toBe(Math.floor(Date.parse((payload as any).validFrom) / 1000));
    // the holder URN is stable across the pair and carries no personal data
    expect(decodeCompactJwsUnverified(enterprise.jwt)!.payload['sub']).toBe(payload.sub);
  });

  it('both certificates of the pair pass the official 1EdTech OB 3.0 AchievementCredential schema', () => {
    for (const jwt of [skill.jwt, enterprise.jwt]) {
      const payload = decodeCompactJwsUnverified(jwt)!.payload;
      expect(validate(payload)).toEqual([]);
      expect(payload['credentialStatus']).toMatchObject({ type: 'BitstringStatusListEntry', statusPurpose: 'revocation' });
    }
  });

  it('the national ID number is only in the credential salted and hashed, and it matches the holder’s number', async () => {
    const full = (await env.http().get(`/api/v1/users/${student.user.id}/id-number`).set(bearer(student.accessToken)).expect(200)).body.idNumber as string;
    const payload = decodeCompactJwsUnverified(skill.jwt)!.payload as any;
    expect(JSON.stringify(payload)).not.toContain(full);
    expect(payload.credentialSubject.identifier).toContainEqual(expect.objectContaining({ identityType: 'nationalIdentityNumber', hashed: true }));
    expect(idNumberMatches(payload, full)).toBe(true);
    expect(idNumberMatches(payload, full.slice(0, -1) + (full.endsWith('1') ? '2' : '1'))).toBe(false);
  });

  it('every URL in the credential answers 200 with the right content type; the contexts are the two published ones', async () => {
    const payload = decodeCompactJwsUnverified(skill.jwt)!.payload as any;
    expect(payload['@context'].filter((c: unknown) => typeof c === 'string')).toEqual([VC_CONTEXT_V2, OB3_CONTEXT]);
    const urls: [string, RegExp][] = [
      [payload.issuer.id, /^application\/ld\+json/],
      [payload.credentialSubject.achievement.id, /^application\/ld\+json/],
      [payload.credentialStatus.statusListCredential, /^application\/vc\+jwt/],
      [payload.credentialStatus.id.split('#')[0], /^application\/vc\+jwt/],
      [String(decodeProtectedHeader(skill.jwt).kid), /^application\/jwk\+json/],
      [payload.issuer.url, /^text\/html/],
      [payload.verificationUrl, /^text\/html/],
    ];
    for (const [url, type] of urls) {
      expect(url.startsWith(base)).toBe(true);
      const res = await fetch(url, { headers: { Accept: type.source.includes('html') ? 'text/html' : '*/*' } });
      expect([url, res.status]).toEqual([url, 200]);
      expect([url, res.headers.get('content-type')]).toEqual([url, expect.stringMatching(type)]);
    }
    const profile = await (await fetch(payload.issuer.id)).json();
    expect(profile).toMatchObject({ id: payload.issuer.id, type: ['Profile'], name: payload.issuer.name });
    const achievement = await (await fetch(payload.credentialSubject.achievement.id)).json();
    expect(achievement).toMatchObject({ id: payload.credentialSubject.achievement.id, name: payload.credentialSubject.achievement.name });
    expect((await fetch(`${base}/issuers/999999`)).status).toBe(404);
  });

  it('wallet JSON: the holder downloads it, it passes the schema, @digitalbazaar/vc verifies it offline, every URL resolves', async () => {
    const res = await env.http().get(`/api/v1/my/certificates/${skill.id}/credential.json`).set(bearer(student.accessToken)).expect(200);
    expect(res.headers['content-disposition']).toContain(`${skill.number}.json`);
    const doc = JSON.parse(res.text);
    expect(validate(doc)).toEqual([]);
    expect(doc.proof).toMatchObject({ type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022', proofPurpose: 'assertionMethod' });
    const jwks = (await (await fetch(`${base}/.well-known/jwks.json`)).json()) as Jwks;
    const documentLoader = await offlineDocumentLoader([{ issuerId: doc.issuer.id, keys: jwks }]);
    const suite = new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });
    const ok = await vc.verifyCredential({ credential: doc, suite, documentLoader, checkStatus: async () => ({ verified: true }) });
    expect(ok.verified).toBe(true);
    const tampered = structuredClone(doc);
    tampered.credentialSubject.certificate.level = 1;
    expect((await vc.verifyCredential({ credential: tampered, suite, documentLoader, checkStatus: async () => ({ verified: true }) })).verified).toBe(false);
    // the verification method is a Multikey in the issuer Profile, authorised for assertionMethod
    const [profileUrl] = String(doc.proof.verificationMethod).split('#');
    const profile = (await (await fetch(profileUrl)).json()) as { assertionMethod: string[]; verificationMethod: unknown[] };
    expect(profile.assertionMethod).toContain(doc.proof.verificationMethod);
    expect(profile.verificationMethod).toContainEqual(expect.objectContaining({ id: doc.proof.verificationMethod, type: 'Multikey', controller: doc.issuer.id }));
    // only the holder
    const other = await env.login('org_admin');
    expect((await env.http().get(`/api/v1/my/certificates/${skill.id}/credential.json`).set(bearer(other.accessToken))).status).toBe(403);
  });

  it('the verification page’s API takes either form, rejects a changed field, and answers suspension and revocation', async () => {
    const wallet = JSON.parse((await env.http().get(`/api/v1/my/certificates/${skill.id}/credential.json`).set(bearer(student.accessToken))).text);
    const post = (credential: unknown) => env.http().post('/api/v1/verify/credential').set('X-Forwarded-For', env.ip()).send({ credential });
    expect((await post(skill.jwt)).body).toMatchObject({ form: 'vc-jwt', status: 'valid', fields: { number: skill.number } });
    expect((await post(wallet)).body).toMatchObject({ form: 'data-integrity', status: 'valid', fields: { number: skill.number } });
    expect((await post(JSON.stringify(wallet))).body.status).toBe('valid');
    const changed = structuredClone(wallet);
    changed.credentialSubject.certificate.holderName = '张三';
    expect((await post(changed)).body).toMatchObject({ status: 'invalid', fields: null });
    const [h, p, s] = skill.jwt.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    payload.validFrom = '2020-01-01T00:00:00Z';
    expect((await post(`${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`)).body.status).toBe('invalid');
    const bad = await post('not a credential');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('credential');

    await env.http().post(`/api/v1/certificates/${skill.id}/status`).set(bearer(admin.accessToken)).send({ status: 'suspended', reason: '核查中' }).expect(200);
    expect((await post(wallet)).body.status).toBe('suspended');
    const status = (decodeCompactJwsUnverified(skill.jwt)!.payload as any).credentialStatus;
    const suspension = await fetch(String(status.statusListCredential).replace(/revocation$/, 'suspension'));
    const list = decodeCompactJwsUnverified(await suspension.text())!.payload as any;
    expect(getStatusBit(decodeStatusList(list.credentialSubject.encodedList), Number(status.statusListIndex))).toBe(true);
    await env.http().post(`/api/v1/certificates/${enterprise.id}/status`).set(bearer(admin.accessToken)).send({ status: 'revoked', reason: '撤销' }).expect(200);
    expect((await post(enterprise.jwt)).body.status).toBe('revoked');
  });
});
