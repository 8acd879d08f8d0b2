import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { DataSource } from 'typeorm';
import {
  decodeStatusList,
  getStatusBit,
  isValidMod3736,
  parseEnterpriseCertificateNumber,
  parseSkillCertificateNumber,
  verifyCompactJws,
  decodeCompactJwsUnverified,
  type Jwks,
} from '@aitrainer/certificates';
import type { LoginResponse } from '@aitrainer/contracts';
import { CertificateIssuanceService, chinaDate, type IssuePairInput } from '../src/certificates/certificate-issuance.service';
import { ExamResultCertificates } from '../src/certificates/exam-result-certificates';
import { bearer, startTestEnv, type TestEnv } from './support/test-app';

/**
 * Issuance of the certificate pair: settings, numbers, linked signed credentials, exactly-once per result also with
 * two API instances issuing at once (MySQL with TEST_MYSQL_URL), external numbers, revocation in the status list,
 * re-issue. Runs on SQLite otherwise (there the concurrent calls serialise on the one writer).
 */
describe('certificate issuance', () => {
  let env: TestEnv;
  let second: INestApplication;
  let admin: LoginResponse;
  let student: LoginResponse;
  let issuerId: number;
  const year = Number(chinaDate(new Date()).slice(0, 4));

  const input = (resultId: number, over: Partial<IssuePairInput> = {}): IssuePairInput => ({
    resultId,
    holderUserId: student.user.id,
    level: 4,
    trade: null,
    parts: [{ part: 'theory', scaled: 80, passed: true }, { part: 'practical', scaled: 75, passed: true }],
    sessionId: null,
    issuerId,
    ...over,
  });

  beforeAll(async () => {
    env = await startTestEnv();
    second = await env.newApp();
    admin = await env.login('org_admin');
    student = await env.login('student');
    issuerId = admin.user.organisation!.id;
  });

  afterAll(async () => env?.close());

  /** A published exam of `level` and one session of the issuer, written directly (results are seeded by the tests). */
  const seedSession = async (title: string, level: number) => {
    const ds = env.app.get(DataSource);
    const at = '2026-11-28 00:00:00';
    await ds.query("INSERT INTO exams (organisation_id, author_id, title, occupation, level, status, definition, published_at, created_at, updated_at) VALUES (?, ?, ?, 'ai_trainer', ?, 'published', '{}', ?, ?, ?)", [issuerId, admin.user.id, title, level, at, at, at]);
    const [exam] = (await ds.query('SELECT MAX(id) AS id FROM exams')) as { id: number }[];
    await ds.query("INSERT INTO exam_sessions (exam_id, organisation_id, venue, starts_at_ms, ends_at_ms, created_by, created_at) VALUES (?, ?, 'room', 0, 1, ?, ?)", [exam.id, issuerId, admin.user.id, at]);
    const [session] = (await ds.query('SELECT MAX(id) AS id FROM exam_sessions')) as { id: number }[];
    const [src] = (await ds.query('SELECT * FROM users WHERE id = ?', [student.user.id])) as Record<string, unknown>[];
    return { ds, at, exam, session, src };
  };

  it('refuses issuer settings with bad codes and stores good ones (org admin only)', async () => {
    const bad = await env.http().put('/api/v1/certificates/issuer-settings').set(bearer(admin.accessToken)).send({ kind: 'Y', evaluationBodyCode: '01', provinceCode: '33', siteSerial: '010001', enterprisePrefix: 'AIT' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('evaluationBodyCode');
    const denied = await env.http().put('/api/v1/certificates/issuer-settings').set(bearer(student.accessToken)).send({ kind: 'Y', evaluationBodyCode: '0001', provinceCode: '33', siteSerial: '010001', enterprisePrefix: 'AIT' });
    expect(denied.status).toBe(403);
    const ok = await env.http().put('/api/v1/certificates/issuer-settings').set(bearer(admin.accessToken)).send({ kind: 'Y', evaluationBodyCode: '0001', provinceCode: '33', siteSerial: '010001', enterprisePrefix: 'AIT' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ organisationId: issuerId, kind: 'Y', enterprisePrefix: 'AIT', verificationBaseUrl: env.config.publicBaseUrl });
    const rotated = await env.http().post('/api/v1/certificates/signing-keys/rotate').set(bearer(admin.accessToken));
    expect(rotated.status).toBe(200);
  });

  it('issues a linked, signed pair with a national and an enterprise number', async () => {
    const issuance = env.app.get(CertificateIssuanceService);
    const pair = await issuance.issuePair(input(1001));
    expect(pair.created).toBe(true);
    const skill = parseSkillCertificateNumber(pair.skill.number);
    expect(skill).toMatchObject({ valid: true, parts: { kind: 'Y', evaluationBodyCode: '0001', provinceCode: '33', siteSerial: '010001', year, level: 4, serial: 1 } });
    expect(parseEnterpriseCertificateNumber(pair.enterprise.number).valid).toBe(true);
    expect(isValidMod3736(pair.enterprise.number.replace(/-/g, ''))).toBe(true);
    expect(pair.skill.twinId).toBe(pair.enterprise.id);
    expect(pair.enterprise.twinNumber).toBe(pair.skill.number);
    const jwks = (await env.http().get('/.well-known/jwks.json')).body as Jwks;
    // interoperability: the independent `jose` library accepts the issued VC-JWT against the published JWKS
    const verified = await jwtVerify(pair.skill.jwt, createLocalJWKSet(jwks as unknown as Parameters<typeof createLocalJWKSet>[0]), { algorithms: ['RS256'], typ: 'JWT' });
    expect(verified.payload['jti']).toBe(pair.skill.credentialId);
    for (const cert of [pair.skill, pair.enterprise]) {
      const checked = verifyCompactJws(cert.jwt, jwks);
      expect(checked.ok).toBe(true);
      const payload = decodeCompactJwsUnverified(cert.jwt)!.payload as { twinCredential: { number: string }; credentialSubject: { certificate: { number: string; trade: string; level: number; idNumberMasked: string } } };
      expect(payload.credentialSubject.certificate).toMatchObject({ number: cert.number, trade: '--', level: 4 });
      expect(payload.twinCredential.number).toBe(cert.twinNumber);
      expect(cert.jwt).not.toMatch(/\d{17}[\dX]/); // never a full ID number
    }
  });

  it('a second call for the same result returns the same pair (exactly once)', async () => {
    const issuance = env.app.get(CertificateIssuanceService);
    const again = await issuance.issuePair(input(1001));
    expect(again.created).toBe(false);
    const rows = (await env.app.get(DataSource).query('SELECT COUNT(*) AS n FROM certificates WHERE result_id = ?', [1001])) as { n: number }[];
    expect(Number(rows[0].n)).toBe(2);
  });

  it('lists a holder their own certificates, and an issuer finds one by number', async () => {
    const mine = await env.http().get('/api/v1/my/certificates').set(bearer(student.accessToken));
    expect(mine.status).toBe(200);
    expect(mine.body.map((c: { resultId: number }) => c.resultId)).toContain(1001);
    expect(mine.body.every((c: { holderUserId: number }) => c.holderUserId === student.user.id)).toBe(true);
    const full = await env.http().get(`/api/v1/users/${student.user.id}/id-number`).set(bearer(student.accessToken));
    expect(JSON.stringify(mine.body)).not.toContain(full.body.idNumber); // masked only
    expect(mine.body[0].idNumberMasked).toContain('*');
    const instructor = await env.login('instructor');
    expect((await env.http().get('/api/v1/my/certificates').set(bearer(instructor.accessToken))).status).toBe(403);
    const number = mine.body.find((c: { kind: string }) => c.kind === 'skill_level').number as string;
    const found = await env.http().get(`/api/v1/certificates?number=${number}`).set(bearer(admin.accessToken));
    expect(found.body).toHaveLength(1);
    expect(found.body[0].number).toBe(number);
    expect((await env.http().get('/api/v1/certificates?number=Y000000000000000000000').set(bearer(admin.accessToken))).body).toEqual([]);
    expect((await env.http().get('/api/v1/certificates').set(bearer(student.accessToken))).status).toBe(403);
  });

  // MySQL: two API instances (two pools) at once. SQLite is the one-process embedded mode (one writer): there both
  // calls go through one instance, whose issuing transactions queue.
  it('two instances issuing the same 15 results at once: one pair each, serials gap-free', async () => {
    const a = env.app.get(CertificateIssuanceService);
    const b = (env.dbKind === 'mysql' ? second : env.app).get(CertificateIssuanceService);
    const ids = Array.from({ length: 15 }, (_, i) => 2000 + i);
    const results = await Promise.all(ids.flatMap((id) => [a.issuePair(input(id, { level: 3 })), b.issuePair(input(id, { level: 3 }))]));
    expect(results.filter((r) => r.created)).toHaveLength(15);
    const ds = env.app.get(DataSource);
    const rows = (await ds.query("SELECT result_id, number FROM certificates WHERE kind = 'skill_level' AND level = 3")) as { result_id: number; number: string }[];
    expect(rows).toHaveLength(15);
    const serials = rows.map((r) => Number(r.number.slice(-6))).sort((x, y) => x - y);
    expect(serials).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    const indexes = (await ds.query('SELECT status_index FROM certificates')) as { status_index: number }[];
    expect(new Set(indexes.map((r) => Number(r.status_index))).size).toBe(indexes.length);
  });

  it('records a number assigned from outside, and refuses one whose level does not match', async () => {
    const issuance = env.app.get(CertificateIssuanceService);
    const yy = String(year % 100).padStart(2, '0');
    const external = `Y000133999999${yy}5000777`;
    const pair = await issuance.issuePair(input(3001, { level: 5, externalSkillNumber: external }));
    expect(pair.skill.number).toBe(external);
    await expect(issuance.issuePair(input(3002, { level: 4, externalSkillNumber: `Y000133999999${yy}5000778` }))).rejects.toThrow('level digit');
  });

  it('revocation with a reason reaches the signed status list and names the twin; re-issue links the new pair', async () => {
    const issuance = env.app.get(CertificateIssuanceService);
    const pair = await issuance.issuePair(input(4001));
    const revoked = await env.http().post(`/api/v1/certificates/${pair.enterprise.id}/status`).set(bearer(admin.accessToken)).send({ status: 'revoked', reason: '考试违纪' });
    expect(revoked.status).toBe(200);
    expect(revoked.body.certificate).toMatchObject({ status: 'revoked', statusReason: '考试违纪' });
    expect(revoked.body.twin).toMatchObject({ id: pair.skill.id, number: pair.skill.number, status: 'valid' });
    const suspended = await env.http().post(`/api/v1/certificates/${pair.skill.id}/status`).set(bearer(admin.accessToken)).send({ status: 'suspended', reason: '核查中' });
    expect(suspended.status).toBe(200);

    const jwks = (await env.http().get('/.well-known/jwks.json')).body as Jwks;
    const list = async (purpose: string) => {
      const res = await env.http().get(`/api/v1/status-lists/${pair.skill.statusListId}/${purpose}`).buffer(true).parse((r, cb) => {
        let data = '';
        r.on('data', (c: Buffer) => (data += c.toString()));
        r.on('end', () => cb(null, data));
      });
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toContain('public');
      const checked = verifyCompactJws(res.body as string, jwks);
      expect(checked.ok).toBe(true);
      if (!checked.ok) throw new Error('status list signature');
      return decodeStatusList((checked.payload['credentialSubject'] as { encodedList: string }).encodedList);
    };
    const revocation = await list('revocation');
    expect(getStatusBit(revocation, pair.enterprise.statusIndex)).toBe(true);
    expect(getStatusBit(revocation, pair.skill.statusIndex)).toBe(false);
    const suspension = await list('suspension');
    expect(getStatusBit(suspension, pair.skill.statusIndex)).toBe(true);

    const reissued = await env.http().post(`/api/v1/certificates/${pair.skill.id}/reissue`).set(bearer(admin.accessToken)).send({ reason: '姓名更正' });
    expect(reissued.status).toBe(200);
    expect(reissued.body.skill.replacesId).toBe(pair.skill.id);
    expect(reissued.body.skill.number).not.toBe(pair.skill.number);
    const old = await issuance.byId(pair.skill.id);
    expect(old).toMatchObject({ status: 'revoked', replacedById: reissued.body.skill.id });
    const current = await issuance.issuePair(input(4001));
    expect(current).toMatchObject({ created: false, skill: { id: reissued.body.skill.id } });
    const other = await env.login('org_admin');
    expect((await env.http().post(`/api/v1/certificates/${pair.skill.id}/status`).set(bearer(student.accessToken)).send({ status: 'revoked', reason: 'x' })).status).toBe(403);
    expect(other.user.id).toBe(admin.user.id);
  });

  it('a session of 230 passes is issued in chunks while another process publishes one of them: each result once, 230 consecutive serials, twins linked, status slots distinct', async () => {
    const { ds, at, exam, session, src } = await seedSession('chunks', 3);
    const detail = JSON.stringify({ parts: [{ part: 'theory', scaled: 81, passed: true }, { part: 'practical', scaled: 77, passed: true }], dutyAreas: [] });
    const n = 230;
    const values = (rows: unknown[][]) => ({ sql: rows.map((r) => `(${r.map(() => '?').join(', ')})`).join(', '), params: rows.flat() });
    const users = values(Array.from({ length: n }, (_, i) => [src.organisation_id, `chunk.${i}`, src.password_hash, `批次${i}`, 'student', src.id_document_type, src.id_number_masked, at, at]));
    await ds.query(`INSERT INTO users (organisation_id, username, password_hash, real_name, role, id_document_type, id_number_masked, created_at, password_changed_at) VALUES ${users.sql}`, users.params);
    const ids = ((await ds.query("SELECT id FROM users WHERE username LIKE 'chunk.%' ORDER BY id")) as { id: number }[]).map((u) => Number(u.id));
    const regs = values(ids.map((id) => [session.id, id, `C-${session.id}-${id}`, 0, at]));
    await ds.query(`INSERT INTO exam_registrations (session_id, user_id, ticket_number, extra_minutes, created_at) VALUES ${regs.sql}`, regs.params);
    await ds.query("INSERT INTO exam_results (registration_id, exam_id, user_id, status, passed, detail, published_at, published_by, updated_at) SELECT id, ?, user_id, 'published', ?, ?, ?, ?, ? FROM exam_registrations WHERE session_id = ?", [exam.id, true, detail, at, admin.user.id, at, session.id]);
    const results = (await ds.query('SELECT r.id, r.user_id FROM exam_results r JOIN exam_registrations g ON g.id = r.registration_id WHERE g.session_id = ? ORDER BY r.id', [session.id])) as { id: number; user_id: number }[];
    expect(results).toHaveLength(n);
    const racer = results[150];
    const [batch, publish] = await Promise.all([
      env.http().post(`/api/v1/certificates/sessions/${session.id}/issue`).set(bearer(admin.accessToken)),
      second.get(CertificateIssuanceService).issuePair(input(Number(racer.id), { holderUserId: Number(racer.user_id), level: 3, sessionId: Number(session.id) })),
    ]);
    expect(batch.status).toBe(200);
    expect(batch.body.failed).toEqual([]);
    expect(batch.body.passed).toBe(n);
    // Every pair is counted once, by the one who wrote it.
    expect(batch.body.issued + (publish.created ? 1 : 0)).toBe(n);
    const rows = (await ds.query('SELECT id, result_id, kind, number, twin_id, twin_number, status_list_id, status_index FROM certificates WHERE session_id = ?', [session.id])) as { id: number; result_id: number; kind: string; number: string; twin_id: number; twin_number: string; status_list_id: number; status_index: number }[];
    expect(rows).toHaveLength(2 * n);
    expect(new Set(rows.map((r) => Number(r.result_id))).size).toBe(n);
    const skill = rows.filter((r) => r.kind === 'skill_level');
    // Gap-free: the level's serials after the 15 issued above are the next 230, each once.
    const serials = skill.map((r) => Number(r.number.slice(-6))).sort((a, b) => a - b);
    const [{ top }] = (await ds.query("SELECT MAX(CAST(SUBSTR(number, LENGTH(number) - 5) AS UNSIGNED)) AS top FROM certificates WHERE kind = 'skill_level' AND level = 3 AND (session_id IS NULL OR session_id <> ?)", [session.id])) as { top: number }[];
    expect(serials).toEqual(Array.from({ length: n }, (_, i) => Number(top ?? 0) + i + 1));
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    for (const r of rows) {
      const twin = byId.get(Number(r.twin_id));
      expect(twin && { result: Number(twin.result_id), kind: twin.kind, number: twin.number, back: Number(twin.twin_id) }).toEqual({ result: Number(r.result_id), kind: r.kind === 'skill_level' ? 'enterprise' : 'skill_level', number: r.twin_number, back: Number(r.id) });
    }
    const slots = (await ds.query('SELECT status_list_id, status_index FROM certificates')) as { status_list_id: number; status_index: number }[];
    expect(new Set(slots.map((r) => `${r.status_list_id}/${r.status_index}`)).size).toBe(slots.length);
    expect((await env.http().get(`/api/v1/certificates/sessions/${session.id}/progress`).set(bearer(admin.accessToken))).body).toEqual({ passed: n, certified: n });
  });

  it('batch issuance for a session resumes after a crash with no duplicate or gap; the exams port issues a pass once', async () => {
    const issuance = env.app.get(CertificateIssuanceService);
    const { ds, at, exam, session, src } = await seedSession('batch', 2);
    const detail = JSON.stringify({ parts: [{ part: 'theory', scaled: 70, passed: true }, { part: 'practical', scaled: 65, passed: true }], dutyAreas: [] });
    for (let i = 0; i < 13; i++) {
      await ds.query("INSERT INTO users (organisation_id, username, password_hash, real_name, role, id_document_type, id_number_masked, created_at, password_changed_at) VALUES (?, ?, ?, ?, 'student', ?, ?, ?, ?)", [src.organisation_id, `batch.${i}`, src.password_hash, `考生${i}`, src.id_document_type, src.id_number_masked, at, at]);
      const [u] = (await ds.query('SELECT id FROM users WHERE username = ?', [`batch.${i}`])) as { id: number }[];
      await ds.query('INSERT INTO exam_registrations (session_id, user_id, ticket_number, extra_minutes, created_at) VALUES (?, ?, ?, 0, ?)', [session.id, u.id, `T-${session.id}-${i}`, at]);
      const [reg] = (await ds.query('SELECT id FROM exam_registrations WHERE ticket_number = ?', [`T-${session.id}-${i}`])) as { id: number }[];
      // the 13th failed: no certificates
      await ds.query("INSERT INTO exam_results (registration_id, exam_id, user_id, status, passed, detail, published_at, published_by, updated_at) VALUES (?, ?, ?, 'published', ?, ?, ?, ?, ?)", [reg.id, exam.id, u.id, i < 12, detail, at, admin.user.id, at]);
    }
    // A failure inside the issuing transaction: the 3rd pair of the session's chunk (the whole chunk rolls back, its
    // serials with it), then the 6th result again when the results are retried one by one.
    const real = issuance.holderSubjectId.bind(issuance);
    let calls = 0;
    const spy = jest.spyOn(issuance, 'holderSubjectId').mockImplementation((userId) => {
      if (++calls === 3 || calls === 3 + 6) throw new Error('process crashed');
      return real(userId);
    });
    const first = await env.http().post(`/api/v1/certificates/sessions/${session.id}/issue`).set(bearer(admin.accessToken));
    spy.mockRestore();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ passed: 12, issued: 11, existing: 0 });
    expect(first.body.failed).toHaveLength(1);
    expect((await env.http().get(`/api/v1/certificates/sessions/${session.id}/progress`).set(bearer(admin.accessToken))).body).toEqual({ passed: 12, certified: 11 });
    const second = await env.http().post(`/api/v1/certificates/sessions/${session.id}/issue`).set(bearer(admin.accessToken));
    expect(second.body).toMatchObject({ passed: 12, issued: 1, existing: 11, failed: [] });
    const rows = (await ds.query("SELECT result_id, number FROM certificates WHERE kind = 'skill_level' AND level = 2")) as { result_id: number; number: string }[];
    expect(rows).toHaveLength(12);
    expect(new Set(rows.map((r) => r.result_id)).size).toBe(12);
    expect(rows.map((r) => Number(r.number.slice(-6))).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    // the exams port: idempotent per result, nothing for a fail
    const port = env.app.get(ExamResultCertificates);
    const [passedResult] = (await ds.query('SELECT r.id, r.registration_id, r.user_id FROM exam_results r JOIN exam_registrations g ON g.id = r.registration_id WHERE g.session_id = ? AND r.passed = ? ORDER BY r.id', [session.id, true])) as { id: number; registration_id: number; user_id: number }[];
    const [failedResult] = (await ds.query('SELECT r.id, r.registration_id, r.user_id FROM exam_results r JOIN exam_registrations g ON g.id = r.registration_id WHERE g.session_id = ? AND r.passed = ?', [session.id, false])) as { id: number; registration_id: number; user_id: number }[];
    const event = (r: { id: number; registration_id: number; user_id: number }, passed: boolean) => ({ resultId: Number(r.id), registrationId: Number(r.registration_id), examId: Number(exam.id), userId: Number(r.user_id), occupation: 'ai_trainer', level: 2 as const, passed, parts: [{ part: 'theory' as const, scaled: 70, passed }, { part: 'practical' as const, scaled: 65, passed }], publishedAt: new Date().toISOString(), publishedBy: admin.user.id });
    await port.published(event(passedResult, true));
    await port.published(event(failedResult, false));
    expect(Number(((await ds.query('SELECT COUNT(*) AS n FROM certificates WHERE result_id IN (?, ?)', [passedResult.id, failedResult.id])) as { n: number }[])[0].n)).toBe(2);
  });
});
