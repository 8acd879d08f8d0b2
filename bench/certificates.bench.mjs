#!/usr/bin/env node
// Benchmark of @aitrainer/certificates, the CPU part of issue 7's targets (no database, no HTTP):
//  - numbering + building + signing 10,000 certificate pairs (20,000 Ed25519 VC-JWTs): the issuance target is
//    10,000 pairs in under 60 s end to end, so this part is held to half of it (30 s);
//  - offline verification (signature, fields, status bit) of the same 20,000 credentials;
//  - a 131,072-entry status list: setting bits, GZIP + base64url encoding and decoding.
// Exit code 1 if a target is missed.
//
//   node bench/certificates.bench.mjs            (from the workspace root)
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'tmp/bench-certificates/certificates.mjs');
mkdirSync(dirname(outfile), { recursive: true });
await build({ entryPoints: [join(root, 'libs/certificates/src/index.ts')], bundle: true, format: 'esm', platform: 'node', target: 'node20', outfile, logLevel: 'warning' });
const c = await import(pathToFileURL(outfile).href);

const PAIRS = 10_000;
const TARGET_ISSUE_S = 30;
const ISSUER = { id: 'https://certs.example.cn/issuers/1', name: '示例智能科技有限公司', creditCode: '91110108551385082Q' };
const REVOCATION = 'https://certs.example.cn/status/1/revocation';
const SUSPENSION = 'https://certs.example.cn/status/1/suspension';
const codes = { kind: 'Y', evaluationBodyCode: '0001', provinceCode: '33', siteSerial: '010001' };
const key = c.generateSigningKey();
const jwks = c.buildJwks([key]);

function issuePair(i) {
  const level = 5 - (i % 2);
  const skillNumber = c.formatSkillCertificateNumber({ ...codes, year: 2026, level, serial: Math.floor(i / 2) + 1 });
  const enterpriseNumber = c.generateEnterpriseCertificateNumber('AIT', 2026);
  const common = {
    issuer: ISSUER,
    holder: { name: `学员${i}`, idDocumentType: 'resident_id', idNumberMasked: '110105********002X' },
    level,
    trade: '数据标注员',
    issueDate: '2026-11-28',
  };
  const skillId = `urn:uuid:s-${i}`;
  const enterpriseId = `urn:uuid:e-${i}`;
  const skill = c.buildCertificateCredential({
    ...common, id: skillId, kind: 'skill_level', number: skillNumber,
    status: { revocation: { statusListCredential: REVOCATION, statusListIndex: 2 * i }, suspension: { statusListCredential: SUSPENSION, statusListIndex: 2 * i } },
    twin: { id: enterpriseId, kind: 'enterprise', number: enterpriseNumber },
  });
  const enterprise = c.buildCertificateCredential({
    ...common, id: enterpriseId, kind: 'enterprise', number: enterpriseNumber,
    status: { revocation: { statusListCredential: REVOCATION, statusListIndex: 2 * i + 1 }, suspension: { statusListCredential: SUSPENSION, statusListIndex: 2 * i + 1 } },
    twin: { id: skillId, kind: 'skill_level', number: skillNumber },
  });
  return [c.signCredentialJwt(skill, key), c.signCredentialJwt(enterprise, key)];
}

for (let i = 0; i < 200; i++) issuePair(i); // warm-up

let t = performance.now();
const jwts = [];
for (let i = 0; i < PAIRS; i++) jwts.push(...issuePair(i));
const issueS = (performance.now() - t) / 1000;

const bits = c.createStatusBitstring();
t = performance.now();
for (let i = 0; i < c.MIN_STATUS_LIST_LENGTH; i += 97) c.setStatusBit(bits, i, true);
const makeList = (purpose) =>
  c.signCredentialJwt(c.buildStatusListCredential({ id: purpose === 'revocation' ? REVOCATION : SUSPENSION, issuer: ISSUER, statusPurpose: purpose, bits, validFrom: '2026-11-28T00:00:00Z' }), key);
const lists = [makeList('revocation'), makeList('suspension')];
const listMs = (performance.now() - t) / 2;

t = performance.now();
const counts = {};
const preparedStatusLists = c.prepareStatusLists(lists, jwks); // each list verified and decompressed once
for (const jwt of jwts) {
  const r = c.verifyCertificateOffline({ credential: jwt, jwks, preparedStatusLists });
  counts[r.status] = (counts[r.status] ?? 0) + 1;
}
const verifyS = (performance.now() - t) / 1000;

const row = (name, value, target) => console.log(`${name.padEnd(58)} ${value.padStart(14)}   ${target}`);
row(`issue ${PAIRS.toLocaleString()} pairs (number, build, sign 2 VC-JWTs)`, `${issueS.toFixed(2)} s`, `target < ${TARGET_ISSUE_S} s (${Math.round((2 * PAIRS) / issueS).toLocaleString()} credentials/s)`);
row('one 131,072-entry status list (set bits, gzip, sign)', `${listMs.toFixed(1)} ms`, '');
row(`verify ${jwts.length.toLocaleString()} offline (signature, fields, 2 status bits)`, `${verifyS.toFixed(2)} s`, `${Math.round(jwts.length / verifyS).toLocaleString()} /s; ${JSON.stringify(counts)}`);
console.log(`average VC-JWT size: ${Math.round(jwts.reduce((s, j) => s + j.length, 0) / jwts.length)} bytes`);
if (issueS > TARGET_ISSUE_S) {
  console.error('target missed');
  process.exitCode = 1;
}
