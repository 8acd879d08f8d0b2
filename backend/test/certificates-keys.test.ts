import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { DataSource } from 'typeorm';
import { buildCertificateCredential, generateSigningKey, publicJwk, signCredentialJwt, verifyCertificateOffline } from '@aitrainer/certificates';
import { SigningKeyError, SigningKeyStore } from '../src/certificates/keys/signing-key-store';
import { startTestEnv, type TestEnv } from './support/test-app';

/** Signing keys: encrypted files outside the database, public halves in rows, rotation keeps old credentials valid. */
describe('certificate signing keys', () => {
  let env: TestEnv;
  let ds: DataSource;
  let keysDir: string;
  let store: SigningKeyStore;
  let issuerId: number;

  beforeAll(async () => {
    env = await startTestEnv();
    ds = env.app.get(DataSource);
    keysDir = join(env.config.dataDir, 'keys');
    store = env.app.get(SigningKeyStore); // the instance the API serves the JWKS from
    const [org] = (await ds.query('SELECT id FROM organisations ORDER BY id')) as { id: number }[];
    issuerId = Number(org.id);
  });

  afterAll(async () => env?.close());

  const credential = (id: string) =>
    buildCertificateCredential({
      id,
      kind: 'skill_level',
      issuer: { id: 'https://certs.example.cn/issuers/1', name: '示例智能科技有限公司' },
      number: 'Y000133010001265000001',
      holder: { name: '张堃', idDocumentType: 'resident_id', idNumberMasked: '110105********002X' },
      level: 5,
      issueDate: '2026-11-28',
      status: { revocation: { statusListCredential: 'https://certs.example.cn/status/1/revocation', statusListIndex: 1 } },
    });

  it('an issuer without a key cannot sign', async () => {
    await expect(store.signer(issuerId)).rejects.toThrow(SigningKeyError);
  });

  it('rotation: the new key signs, the retired one stays in the JWKS and its credentials keep verifying (ours and jose)', async () => {
    const first = await store.rotate(issuerId);
    const oldJwt = signCredentialJwt(credential('urn:uuid:old'), await store.signer(issuerId));
    const second = await store.rotate(issuerId);
    const signer = await store.signer(issuerId);
    // the kid is the URL of the public JWK (OB 3.0), ending in the key's thumbprint
    expect(signer.kid).toBe(store.keyUrl(issuerId, second.kid));
    const newJwt = signCredentialJwt(credential('urn:uuid:new'), signer);

    // each rotation: one RS256 key for VC-JWTs and one Ed25519 key for embedded proofs
    const rows = await store.list(issuerId);
    expect(rows.map((k) => [k.publicJwk.kty, k.status])).toEqual([
      ['OKP', 'retired'],
      ['RSA', 'retired'],
      ['OKP', 'active'],
      ['RSA', 'active'],
    ]);
    expect(rows.filter((k) => k.publicJwk.kty === 'RSA').map((k) => k.kid)).toEqual([first.kid, second.kid]);
    const jwks = await store.jwks();
    expect(jwks.keys.filter((k) => k.kty === 'RSA').map((k) => k.kid)).toEqual([store.keyUrl(issuerId, first.kid), store.keyUrl(issuerId, second.kid)]);
    for (const jwt of [oldJwt, newJwt]) {
      expect(verifyCertificateOffline({ credential: jwt, jwks }).status).toBe('valid');
      await expect(jwtVerify(jwt, createLocalJWKSet(JSON.parse(JSON.stringify(jwks))))).resolves.toBeTruthy();
    }
  });

  it('serves the public keys at /.well-known/jwks.json, outside the api prefix, without authentication', async () => {
    // Accept: text/html too, as a browser sends: the portal's fallback must not swallow the route.
    const res = await env.http().get('/.well-known/jwks.json').set('Accept', 'text/html,application/json').expect(200);
    expect(res.headers['cache-control']).toContain('max-age');
    expect(res.body).toEqual(await store.jwks());
    for (const key of res.body.keys) expect(Object.keys(key).sort()).toEqual(key.kty === 'RSA' ? ['alg', 'e', 'kid', 'kty', 'n', 'use'] : ['alg', 'crv', 'kid', 'kty', 'use', 'x']);
    const jwt = signCredentialJwt(credential('urn:uuid:http'), await store.signer(issuerId));
    await expect(jwtVerify(jwt, createLocalJWKSet(res.body))).resolves.toBeTruthy();
    await env.http().get('/api/.well-known/jwks.json').expect(404);
  });

  it('keeps private keys out of the database and encrypted on disk', async () => {
    const { privateKey, kid: kidUrl } = await store.signer(issuerId);
    const kid = kidUrl.split('/').pop() as string;
    const d = (privateKey.export({ format: 'jwk' }) as { d: string }).d;
    const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    const rows = JSON.stringify(await ds.query('SELECT * FROM certificate_signing_keys'));
    expect(rows).not.toContain(d);
    expect(rows).not.toContain('"d"');
    expect(readdirSync(keysDir).sort()).toEqual((await store.list()).map((k) => `${k.kid}.key`).sort());
    const file = readFileSync(join(keysDir, `${kid}.key`), 'utf8');
    expect(file).not.toContain(d);
    expect(file).not.toContain(pkcs8);
    expect(JSON.stringify(await store.jwks())).not.toContain(d);
  });

  it('an issuer keyed before OB 3.0 (one Ed25519 key) keeps it in the JWKS under its thumbprint and gets an RS256 key on first signing', async () => {
    const [, org2] = (await ds.query('SELECT id FROM organisations ORDER BY id')) as { id: number }[];
    const legacyIssuer = Number(org2.id);
    const legacy = generateSigningKey('EdDSA');
    (store as unknown as { writeKeyFile(kid: string, key: unknown): void }).writeKeyFile(legacy.kid, legacy.privateKey);
    await ds.query("INSERT INTO certificate_signing_keys (issuer_id, kid, public_jwk, status, created_at) VALUES (?, ?, ?, 'active', '2026-11-01 00:00:00')", [legacyIssuer, legacy.kid, JSON.stringify(publicJwk(legacy.publicKey, legacy.kid))]);
    const signer = await store.signer(legacyIssuer);
    expect(signer.privateKey.asymmetricKeyType).toBe('rsa');
    expect((await store.dataIntegritySigner(legacyIssuer)).kid).toBe(legacy.kid);
    const again = await store.signer(legacyIssuer);
    expect(again.kid).toBe(signer.kid); // created once
    const jwks = await store.jwks();
    expect(jwks.keys.find((k) => k.kid === legacy.kid)).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    const oldStyle = signCredentialJwt(credential('urn:uuid:legacy'), { kid: legacy.kid, privateKey: legacy.privateKey });
    expect(verifyCertificateOffline({ credential: oldStyle, jwks }).status).toBe('valid');
  });

  it('another process with the same keys directory and DATA_ENCRYPTION_KEY signs with the same key; a wrong key cannot', async () => {
    const other = new SigningKeyStore(ds, keysDir, env.config.dataEncryptionKey);
    expect((await other.signer(issuerId)).kid).toBe((await store.signer(issuerId)).kid);
    const wrong = new SigningKeyStore(ds, keysDir, randomBytes(32));
    await expect(wrong.signer(issuerId)).rejects.toThrow('does not decrypt');
  });
});
