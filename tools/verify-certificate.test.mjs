// node:test for the offline verifier: real files, a real child process, the same library code that signs.
//   node --test tools/verify-certificate.test.mjs
import { build } from 'esbuild';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const verifier = join(root, 'tools/verify-certificate.mjs');
let lib;
let dir;

const ISSUER = { id: 'https://certs.example.cn/issuers/1', name: '示例智能科技有限公司' };
const REVOCATION = 'https://certs.example.cn/status/1/revocation';
const SUSPENSION = 'https://certs.example.cn/status/1/suspension';

function verify(...args) {
  const r = spawnSync(process.execPath, [verifier, ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(async () => {
  const outfile = join(root, 'tmp/verify-certificate-test/certificates.mjs');
  mkdirSync(dirname(outfile), { recursive: true });
  await build({ entryPoints: [join(root, 'libs/certificates/src/index.ts')], bundle: true, format: 'esm', platform: 'node', target: 'node20', outfile, logLevel: 'warning', banner: { js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" } });
  lib = await import(pathToFileURL(outfile).href);
  dir = mkdtempSync(join(tmpdir(), 'aitrainer-verify-'));

  // an Ed25519 key as issued before OB 3.0 conformance, the current RS256 key, and the Ed25519 key of the wallet form
  const oldKey = lib.generateSigningKey('EdDSA');
  const rsa = lib.generateSigningKey('RS256');
  const currentKey = { kid: `${ISSUER.id}/keys/${rsa.kid}`, privateKey: rsa.privateKey, publicKey: rsa.publicKey };
  const walletKey = lib.generateSigningKey('EdDSA');
  const credential = (index, number, name) =>
    lib.buildCertificateCredential({
      id: `urn:uuid:00000000-0000-4000-8000-00000000000${index}`,
      kind: 'skill_level',
      issuer: ISSUER,
      number,
      holder: { name, idDocumentType: 'resident_id', idNumberMasked: '110105********002X', subjectId: 'urn:uuid:0b6f0e9e-5d0e-4c7e-8a7e-1f2d3c4b5a69', idNumber: '11010519900307002X' },
      level: 5,
      issueDate: '2026-11-28',
      status: { revocation: { statusListCredential: REVOCATION, statusListIndex: index } },
    });
  writeFileSync(join(dir, 'good.jwt'), lib.signCredentialJwt(credential(1, 'Y000133010001265000001', '张堃'), oldKey));
  writeFileSync(join(dir, 'revoked.jwt'), lib.signCredentialJwt(credential(2, 'Y000133010001265000002', '𠮷野'), currentKey));
  writeFileSync(join(dir, 'qr.txt'), `https://certs.example.cn/verify?number=Y000133010001265000001`);
  const [h, p, s] = lib.signCredentialJwt(credential(3, 'Y000133010001265000003', '王喆'), currentKey).split('.');
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
  payload.credentialSubject.certificate.level = 3;
  writeFileSync(join(dir, 'tampered.jwt'), `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`);
  writeFileSync(join(dir, 'jwks.json'), JSON.stringify(lib.buildJwks([oldKey, currentKey, walletKey])));
  const wallet = await lib.signCredentialDataIntegrity(credential(4, 'Y000133010001265000004', '李娜'), walletKey.privateKey);
  writeFileSync(join(dir, 'wallet.json'), JSON.stringify(wallet, null, 2));
  const walletSuspended = await lib.signCredentialDataIntegrity(credential(5, 'Y000133010001265000005', '赵敏'), walletKey.privateKey);
  writeFileSync(join(dir, 'wallet-suspended.json'), JSON.stringify(walletSuspended));
  for (const [name, change] of [
    ['holder', (d) => (d.credentialSubject.certificate.holderName = '张三')],
    ['level', (d) => (d.credentialSubject.certificate.level = 1)],
    ['validFrom', (d) => (d.validFrom = '2020-01-01T00:00:00Z')],
    ['status', (d) => (d.credentialStatus.statusListIndex = '99')],
    ['issuer', (d) => (d.issuer.name = '另一家公司')],
  ]) {
    const copy = structuredClone(wallet);
    change(copy);
    writeFileSync(join(dir, `wallet-changed-${name}.json`), JSON.stringify(copy));
    const [h2, p2, s2] = lib.signCredentialJwt(credential(4, 'Y000133010001265000004', '李娜'), currentKey).split('.');
    const body = JSON.parse(Buffer.from(p2, 'base64url').toString());
    change(body);
    writeFileSync(join(dir, `jwt-changed-${name}.jwt`), `${h2}.${Buffer.from(JSON.stringify(body)).toString('base64url')}.${s2}`);
  }
  const list = (purpose, set) => {
    const bits = lib.createStatusBitstring();
    for (const i of set) lib.setStatusBit(bits, i, true);
    return lib.signCredentialJwt(
      lib.buildStatusListCredential({ id: purpose === 'revocation' ? REVOCATION : SUSPENSION, issuer: ISSUER, statusPurpose: purpose, bits, validFrom: '2026-11-28T00:00:00Z' }),
      currentKey,
    );
  };
  writeFileSync(join(dir, 'revocation.jwt'), list('revocation', [2]));
  writeFileSync(join(dir, 'suspension.json'), JSON.stringify([list('suspension', [])]));
  writeFileSync(join(dir, 'suspension-5.jwt'), list('suspension', [5]));
});

describe('aitrainer-verify (offline)', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('answers valid for a credential signed with a rotated-out key, with every printed field', () => {
    const r = verify(join(dir, 'good.jwt'), '--jwks', join(dir, 'jwks.json'), '--status', join(dir, 'revocation.jwt'), '--status', join(dir, 'suspension.json'));
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /^有效 VALID/);
    for (const text of ['张堃', 'Y000133010001265000001', '五级/初级工', '人工智能训练师', '4-04-05-05', '110105********002X']) assert.ok(r.stdout.includes(text), text);
  });

  it('accepts the VC-JWT itself on the command line and prints JSON', () => {
    const jwt = execFileSync('cat', [join(dir, 'good.jwt')], { encoding: 'utf8' });
    const r = verify(jwt, '--jwks', join(dir, 'jwks.json'), '--json');
    assert.equal(r.code, 0);
    const result = JSON.parse(r.stdout);
    assert.equal(result.status, 'valid');
    assert.equal(result.warnings.length, 1, 'revocation not checked: one warning');
  });

  it('answers revoked from the saved status list (exit 2)', () => {
    const r = verify(join(dir, 'revoked.jwt'), '--jwks', join(dir, 'jwks.json'), '--status', join(dir, 'revocation.jwt'));
    assert.equal(r.code, 2);
    assert.match(r.stdout, /^已撤销 REVOKED/);
    assert.ok(r.stdout.includes('𠮷野'));
  });

  it('answers invalid for a changed field (exit 1)', () => {
    const r = verify(join(dir, 'tampered.jwt'), '--jwks', join(dir, 'jwks.json'));
    assert.equal(r.code, 1);
    assert.match(r.stdout, /signature does not match/);
    assert.ok(!r.stdout.includes('王喆'), 'no fields of an unverified credential are shown');
  });

  it('accepts the wallet JSON (embedded proof) offline with the same JWKS and checks a bureau-held ID number', () => {
    const r = verify(join(dir, 'wallet.json'), '--jwks', join(dir, 'jwks.json'), '--status', join(dir, 'revocation.jwt'), '--id-number', '110105 19900307002x');
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /^有效 VALID/);
    assert.match(r.stdout, /eddsa-rdfc-2022/);
    assert.match(r.stdout, /一致 matches/);
    assert.ok(r.stdout.includes('李娜'));
    assert.match(verify(join(dir, 'wallet.json'), '--jwks', join(dir, 'jwks.json'), '--id-number', '110105199003070021').stdout, /不一致 does NOT match/);
  });

  it('answers suspended for the wallet form from the sibling suspension list (exit 3)', () => {
    const r = verify(join(dir, 'wallet-suspended.json'), '--jwks', join(dir, 'jwks.json'), '--status', join(dir, 'revocation.jwt'), '--status', join(dir, 'suspension-5.jwt'));
    assert.equal(r.code, 3, r.stdout + r.stderr);
  });

  for (const name of ['holder', 'level', 'validFrom', 'status', 'issuer']) {
    it(`rejects each form when one field (${name}) is changed`, () => {
      for (const file of [`wallet-changed-${name}.json`, `jwt-changed-${name}.jwt`]) {
        const r = verify(join(dir, file), '--jwks', join(dir, 'jwks.json'));
        assert.equal(r.code, 1, `${file}: ${r.stdout}`);
        assert.match(r.stdout, /^无效 INVALID/);
      }
    });
  }

  it('still verifies a certificate issued before OB 3.0 conformance (EdDSA, vc+jwt, two status entries)', () => {
    const legacy = join(root, 'libs/certificates/test-fixtures/legacy-2026-12');
    const args = ['--jwks', join(legacy, 'jwks.json'), '--status', join(legacy, 'revocation.jwt'), '--status', join(legacy, 'suspension.jwt'), '--now', '2026-12-06T00:00:00Z'];
    assert.equal(verify(join(legacy, 'valid.jwt'), ...args).code, 0);
    assert.equal(verify(join(legacy, 'suspended.jwt'), ...args).code, 3);
  });

  it('explains that a lookup-only QR code cannot be checked offline', () => {
    const r = verify(join(dir, 'qr.txt'), '--jwks', join(dir, 'jwks.json'));
    assert.equal(r.code, 1);
    assert.match(r.stdout, /no VC-JWT found/);
  });

  it('reports usage errors with exit 64', () => {
    assert.equal(verify(join(dir, 'good.jwt')).code, 64);
    assert.match(verify(join(dir, 'good.jwt'), '--jwks', join(dir, 'missing.json')).stderr, /cannot read JWKS/);
  });

  it('--build writes a standalone file that runs with Node alone', () => {
    const out = join(dir, 'aitrainer-verify.mjs');
    assert.equal(verify('--build', out).code, 0);
    const r = spawnSync(process.execPath, [out, join(dir, 'revoked.jwt'), '--jwks', join(dir, 'jwks.json'), '--status', join(dir, 'revocation.jwt')], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 2, r.stderr);
    const w = spawnSync(process.execPath, [out, join(dir, 'wallet.json'), '--jwks', join(dir, 'jwks.json')], { cwd: dir, encoding: 'utf8' });
    assert.equal(w.status, 0, w.stderr + w.stdout);
  });
});
