import type { INestApplication } from '@nestjs/common';
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { FieldCipher } from '../src/infra/crypto/field-cipher';
import { Metrics } from '../src/infra/observability/metrics';
import type { LoginResponse } from '@aitrainer/contracts';
import { CertificateIssuanceService, type IssuedPair } from '../src/certificates/certificate-issuance.service';
import { CertificateVerificationService } from '../src/certificates/certificate-verification.service';
import { bearer, startTestEnv, type TestEnv } from './support/test-app';

/**
 * Public verification: the answer for a valid, revoked and suspended certificate; not-found and name-mismatch
 * byte-identical; the per-IP limit shared by two API instances with Redis (TEST_REDIS_URL); PDF downloads.
 */
describe('certificate verification', () => {
  let env: TestEnv;
  let second: INestApplication;
  let admin: LoginResponse;
  let student: LoginResponse;
  let pair: IssuedPair;
  let holderName: string;

  beforeAll(async () => {
    env = await startTestEnv({ VERIFY_PER_MINUTE: '60' });
    second = await env.newApp();
    admin = await env.login('org_admin');
    student = await env.login('student');
    holderName = student.user.realName;
    await env.http().put('/api/v1/certificates/issuer-settings').set(bearer(admin.accessToken)).send({ kind: 'S', evaluationBodyCode: '0002', provinceCode: '11', siteSerial: '000123', enterprisePrefix: 'AITR' }).expect(200);
    await env.http().post('/api/v1/certificates/signing-keys/rotate').set(bearer(admin.accessToken)).expect(200);
    pair = await env.app.get(CertificateIssuanceService).issuePair({
      resultId: 9001,
      holderUserId: student.user.id,
      level: 3,
      trade: '数据标注',
      parts: [{ part: 'theory', scaled: 90, passed: true }, { part: 'practical', scaled: 88, passed: true }],
      sessionId: null,
      issuerId: admin.user.organisation!.id,
    });
  });

  afterAll(async () => env?.close());

  const verify = (body: Record<string, string>, ip = env.ip()) => env.http().post('/api/v1/verify').set('X-Forwarded-For', ip).send(body);

  it('answers valid with every signed field a verifier needs, never the full ID number', async () => {
    const res = await verify({ number: pair.skill.number, name: holderName });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'valid',
      statusChangedAt: null,
      kind: 'skill_level',
      number: pair.skill.number,
      holderName,
      occupationName: '人工智能训练师',
      trade: '数据标注',
      level: 3,
      levelName: '三级/高级工',
      issueDate: pair.skill.issueDate,
      twin: { kind: 'enterprise', number: pair.enterprise.number },
    });
    expect(res.body.credential).toBe(pair.skill.jwt);
    // the masked number only: no run of digits where the mask has stars
    const masked = student.user.idNumberMasked ?? '';
    expect(res.body.idNumberMasked).toBe(masked);
    const full = new RegExp(masked.replace(/\*/g, '\\d'));
    expect(JSON.stringify(res.body)).not.toMatch(full);
    // GET with the QR's pre-filled number, spaces and lower case tolerated
    const get = await env.http().get('/api/v1/verify').query({ number: pair.enterprise.number.toLowerCase(), name: ` ${holderName} ` }).set('X-Forwarded-For', env.ip());
    expect(get.body).toMatchObject({ status: 'valid', kind: 'enterprise', twin: { number: pair.skill.number } });
    // every verification is audited (written in batches)
    await env.app.get(CertificateVerificationService).flushAudit();
    const audited = (await env.app.get(DataSource).query("SELECT subject_id, detail FROM audit_events WHERE action = 'certificate.verified'")) as { subject_id: string; detail: string }[];
    expect(audited.map((a) => a.subject_id)).toEqual([String(pair.skill.id), String(pair.enterprise.id)]);
    expect(JSON.parse(audited[0].detail)).toMatchObject({ outcome: 'valid', channel: 'public' });
  });

  it('not found and name mismatch are byte-identical', async () => {
    const missing = await verify({ number: `${pair.skill.number.slice(0, -1)}${pair.skill.number.endsWith('9') ? '8' : '9'}`, name: holderName });
    const mismatch = await verify({ number: pair.skill.number, name: '李四' });
    expect(missing.status).toBe(200);
    expect(mismatch.status).toBe(200);
    expect(mismatch.text).toBe(missing.text);
    expect(Object.keys(mismatch.headers).sort()).toEqual(Object.keys(missing.headers).sort());
    expect(JSON.parse(missing.text)).toEqual({ status: 'not_found' });
  });

  it('verifications arriving together each get their own answer (on MySQL one statement looks them up together)', async () => {
    const missingNumber = `${pair.skill.number.slice(0, -1)}${pair.skill.number.endsWith('9') ? '8' : '9'}`;
    const asks = Array.from({ length: 40 }, (_, i) => [
      { number: pair.skill.number, name: holderName, expect: 'skill_level' },
      { number: ` ${pair.enterprise.number.toLowerCase().replace(/(.{4})/, '$1 ')} `, name: holderName, expect: 'enterprise' },
      { number: pair.enterprise.number, name: '李四', expect: 'not_found' },
      { number: missingNumber, name: holderName, expect: 'not_found' },
    ][i % 4]!);
    // Over HTTP, each from its own address (the per-address limit is 60 a minute here).
    const answers = await Promise.all(asks.map((a) => verify({ number: a.number, name: a.name })));
    answers.forEach((res, i) => {
      expect(res.status).toBe(200);
      if (asks[i]!.expect === 'not_found') expect(res.body).toEqual({ status: 'not_found' });
      else expect(res.body).toMatchObject({ status: 'valid', kind: asks[i]!.expect, holderName });
    });
    // In one turn of the event loop (a bureau key's calls skip the per-address limit): on MySQL fewer statements than asks.
    const service = env.app.get(CertificateVerificationService);
    const metrics = env.app.get(Metrics);
    const statements = async () => (await metrics.coalescedLookupKeys.get()).values.find((v) => v.metricName?.endsWith('_count') && v.labels['lookup'] === 'certificate')?.value ?? 0;
    const before = await statements();
    const together = await Promise.all(asks.map((a) => service.verify(a.number, a.name, '203.0.113.9', 1)));
    together.forEach((answer, i) => expect(answer.status === 'not_found' ? 'not_found' : (answer as { kind: string }).kind).toBe(asks[i]!.expect));
    if (env.app.get(DataSource).options.type === 'mysql') expect((await statements()) - before).toBeLessThan(asks.length / 4);
  });

  it('answers the same whether served before Express or by the full route; bad bodies are refused naming the field', async () => {
    // A JSON body of two strings is served before Express; a form-encoded one, or a body with extra keys over the
    // fast path's size, reaches the controller. Both must give the same answer, status and headers.
    const ip = env.ip();
    const fast = await verify({ number: pair.skill.number, name: holderName }, ip);
    const padded = await env.http().post('/api/v1/verify').set('X-Forwarded-For', ip).set('Content-Type', 'application/json')
      .send(`${JSON.stringify({ number: pair.skill.number, name: holderName }).slice(0, -1)}${' '.repeat(5000)}}`);
    expect(padded.status).toBe(200);
    expect(padded.body).toEqual(fast.body);
    expect(fast.headers['cache-control']).toBe('no-store');
    expect(padded.headers['cache-control']).toBe('no-store');
    const extra = await env.http().post('/api/v1/verify').set('X-Forwarded-For', ip).send({ number: pair.skill.number, name: holderName, note: 'x' });
    expect(extra.status).toBe(400);
    expect(extra.body.fields.map((f: { field: string }) => f.field)).toContain('note');
    const wrongType = await env.http().post('/api/v1/verify').set('X-Forwarded-For', ip).send({ number: 42, name: holderName });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.fields.map((f: { field: string }) => f.field)).toContain('number');
    const empty = await verify({ number: '  ', name: holderName }, ip);
    expect(empty.status).toBe(400);
    expect(empty.body.fields).toEqual([{ field: 'number', problem: 'is required', code: 'REQUIRED' }]);
    const malformed = await env.http().post('/api/v1/verify').set('X-Forwarded-For', ip).set('Content-Type', 'application/json').send('{"number": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ code: 'MALFORMED_JSON', fields: [{ field: 'body', problem: 'is not valid JSON', code: 'NOT_JSON' }] });
  });

  it('reports revoked with its date and suspended', async () => {
    await env.http().post(`/api/v1/certificates/${pair.enterprise.id}/status`).set(bearer(admin.accessToken)).send({ status: 'revoked', reason: '证书信息有误' }).expect(200);
    await env.http().post(`/api/v1/certificates/${pair.skill.id}/status`).set(bearer(admin.accessToken)).send({ status: 'suspended', reason: '核查中' }).expect(200);
    const revoked = await verify({ number: pair.enterprise.number, name: holderName });
    expect(revoked.body.status).toBe('revoked');
    expect(Date.parse(revoked.body.statusChangedAt)).toBeGreaterThan(Date.now() - 120_000);
    expect((await verify({ number: pair.skill.number, name: holderName })).body.status).toBe('suspended');
    await env.http().post(`/api/v1/certificates/${pair.skill.id}/status`).set(bearer(admin.accessToken)).send({ status: 'valid', reason: '核查无误' }).expect(200);
    expect((await verify({ number: pair.skill.number, name: holderName })).body.status).toBe('valid');
  });

  it('200 wrong guesses from one client are throttled (across both instances when Redis is configured)', async () => {
    const ip = env.ip();
    const apps = env.config.redisUrl ? [env.app, second] : [env.app];
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) {
      const app = apps[i % apps.length];
      const res = await request(app.getHttpServer()).post('/api/v1/verify').set('X-Forwarded-For', ip).send({ number: `S00021100012326300${String(i).padStart(4, '0')}`, name: '王五' });
      statuses.push(res.status);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(60);
    expect(statuses.filter((s) => s === 429)).toHaveLength(140);
    // another client is not affected
    expect((await verify({ number: pair.skill.number, name: holderName })).status).toBe(200);
    const metrics = await env.http().get('/metrics');
    expect(metrics.text).toMatch(/aitrainer_certificate_verifications_total\{outcome="throttled"\} \d+/);
    expect(metrics.text).toMatch(/aitrainer_certificates_issued_total\{kind="skill_level"\} 1/);
  });

  it('a client rotating a spoofed X-Forwarded-For is still counted by the address the proxy saw (TRUST_PROXY=1)', async () => {
    const realIp = env.ip();
    const statuses: number[] = [];
    for (let i = 0; i < 80; i++) {
      // The client sends its own header; the one trusted proxy appends the address it saw.
      const spoofed = `203.0.113.${i % 250}, 198.51.100.${(i * 7) % 250}`;
      const res = await env.http().post('/api/v1/verify').set('X-Forwarded-For', `${spoofed}, ${realIp}`).send({ number: `S00021100012326301${String(i).padStart(4, '0')}`, name: '王五' });
      statuses.push(res.status);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(60);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
  });

  it('the holder and the issuer download the PDF; another role cannot; downloads are audited', async () => {
    const holder = await env.http().get(`/api/v1/certificates/${pair.skill.id}/pdf`).set(bearer(student.accessToken)).buffer(true);
    expect(holder.status).toBe(200);
    expect(holder.headers['content-type']).toBe('application/pdf');
    expect(holder.body.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await env.http().get(`/api/v1/certificates/${pair.skill.id}/pdf`).set(bearer(admin.accessToken))).status).toBe(200);
    const instructor = await env.login('instructor');
    expect((await env.http().get(`/api/v1/certificates/${pair.skill.id}/pdf`).set(bearer(instructor.accessToken))).status).toBe(403);
    const audit = await env.http().get('/api/v1/audit-events').query({ subjectType: 'certificate', subjectId: String(pair.skill.id) }).set(bearer((await env.login('platform_admin')).accessToken));
    if (audit.status === 200) expect(JSON.stringify(audit.body)).toContain('certificate.pdf_downloaded');
  }, 30_000);

  describe('bureaus', () => {
    let bureau: LoginResponse;
    let key: string;
    const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    };

    beforeAll(async () => {
      bureau = await env.login('bureau_verifier');
    });

    it('a bureau verifier creates an API key shown once and stored as SHA-256; a student cannot', async () => {
      const created = await env.http().post('/api/v1/bureau/api-keys').set(bearer(bureau.accessToken)).send({ name: '区人社局核验', scopes: ['bulk_verify', 'audit'], dailyQuota: 1100 });
      // a verify-only key: single lookups count against its quota, not the public per-IP limit; no bulk scope
      const verifyOnly = await env.http().post('/api/v1/bureau/api-keys').set(bearer(bureau.accessToken)).send({ name: 'single', scopes: ['verify'], dailyQuota: 2 });
      const one = await env.http().post('/api/v1/bureau/verify').set('X-Api-Key', verifyOnly.body.key).send({ number: pair.skill.number, name: holderName });
      expect(one.body).toMatchObject({ status: 'valid', number: pair.skill.number });
      expect((await env.http().post('/api/v1/bureau/verify/bulk').set('X-Api-Key', verifyOnly.body.key).send({ rows: [{ number: 'x', name: 'y' }] })).status).toBe(403);
      await env.http().post('/api/v1/bureau/verify').set('X-Api-Key', verifyOnly.body.key).send({ number: 'x', name: 'y' }).expect(200);
      expect((await env.http().post('/api/v1/bureau/verify').set('X-Api-Key', verifyOnly.body.key).send({ number: 'x', name: 'y' })).status).toBe(429);
      expect(created.status).toBe(201);
      key = created.body.key;
      expect(key).toMatch(/^aitb_/);
      const rows = (await env.app.get(DataSource).query('SELECT key_hash FROM bureau_api_keys WHERE id = ?', [created.body.id])) as { key_hash: string }[];
      expect(rows[0].key_hash).toBe(createHash('sha256').update(key).digest('hex'));
      const listed = await env.http().get('/api/v1/bureau/api-keys').set(bearer(bureau.accessToken));
      expect(JSON.stringify(listed.body)).not.toContain(key);
      expect((await env.http().post('/api/v1/bureau/api-keys').set(bearer(student.accessToken)).send({ name: 'x', scopes: ['audit'], dailyQuota: 1 })).status).toBe(403);
    });

    it('bulk-verifies CSV rows with a status per row, within the quota', async () => {
      const lines = ['number,name', `${pair.skill.number},${holderName}`, `${pair.enterprise.number},${holderName}`, `${pair.skill.number},李四`, 'NOPE,王五', ...Array.from({ length: 996 }, (_, i) => `S00021100012326300${String(i).padStart(4, '0')},某人`)];
      const res = await env.http().post('/api/v1/bureau/verify/bulk').set('X-Api-Key', key).set('Content-Type', 'text/csv').send(lines.join('\n')).buffer(true).parse(binary);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('text/csv');
      const out = (res.body as Buffer).toString('utf8').trim().split('\n');
      expect(out).toHaveLength(1001);
      expect(out[1]).toMatch(new RegExp(`^1,${pair.skill.number},valid,`));
      expect(out[2]).toMatch(new RegExp(`^2,${pair.enterprise.number},revoked,\\d{4}-`));
      expect(out[3]).toBe(`3,${pair.skill.number},not_found,,,,,,`);
      expect(out[4]).toBe('4,NOPE,not_found,,,,,,');
      // JSON body; then the quota (1,100 rows a day) is used up
      const json = await env.http().post('/api/v1/bureau/verify/bulk').set('X-Api-Key', key).send({ rows: [{ number: pair.skill.number, name: holderName }] }).buffer(true).parse(binary);
      expect((json.body as Buffer).toString()).toContain(',valid,');
      const over = await env.http().post('/api/v1/bureau/verify/bulk').set('X-Api-Key', key).send({ rows: Array.from({ length: 100 }, () => ({ number: pair.skill.number, name: holderName })) });
      expect(over.status).toBe(429);
      expect((await env.http().post('/api/v1/bureau/verify/bulk').set('X-Api-Key', 'aitb_wrong').send({ rows: [{ number: 'x', name: 'y' }] })).status).toBe(401);
    });

    it("a bureau key reads its own audit trail, never another bureau's; a revoked key is refused", async () => {
      const ds = env.app.get(DataSource);
      await ds.query("INSERT INTO organisations (kind, name, created_at) VALUES ('bureau', '另一人社局', '2026-01-01 00:00:00')");
      const [other] = (await ds.query("SELECT id FROM organisations WHERE name = '另一人社局'")) as { id: number }[];
      const otherKey = 'aitb_other-bureau-key-0000000000000000';
      await ds.query("INSERT INTO bureau_api_keys (organisation_id, name, key_prefix, key_hash, scopes, daily_quota, used_today, created_by, created_at) VALUES (?, 'other', 'aitb_other', ?, 'audit', 100, 0, ?, '2026-01-01 00:00:00')", [other.id, createHash('sha256').update(otherKey).digest('hex'), bureau.user.id]);
      const own = await env.http().get('/api/v1/bureau/audit').set('X-Api-Key', key);
      expect(own.status).toBe(200);
      expect(own.body.map((e: { action: string }) => e.action)).toContain('certificate.bulk_verified');
      const theirs = await env.http().get('/api/v1/bureau/audit').set('X-Api-Key', otherKey);
      expect(theirs.status).toBe(200);
      expect(JSON.stringify(theirs.body)).not.toContain('bulk_verified');
      const [mine] = (await env.http().get('/api/v1/bureau/api-keys').set(bearer(bureau.accessToken))).body as { id: number }[];
      await env.http().delete(`/api/v1/bureau/api-keys/${mine.id}`).set(bearer(bureau.accessToken)).expect(204);
      expect((await env.http().get('/api/v1/bureau/audit').set('X-Api-Key', key)).status).toBe(401);
    });

    it('roster export: full ID numbers for the bureau (audited), masked for the issuer, refused to a student', async () => {
      const full = env.app.get(FieldCipher).decrypt(((await env.app.get(DataSource).query('SELECT id_number_enc FROM users WHERE id = ?', [student.user.id])) as { id_number_enc: string }[])[0].id_number_enc);
      const read = async (token: string) => {
        const res = await env.http().get('/api/v1/certificate-roster.xlsx').set(bearer(token)).buffer(true).parse(binary);
        expect(res.status).toBe(200);
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(res.body as unknown as ArrayBuffer);
        const sheet = wb.worksheets[0];
        const rows: string[][] = [];
        sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map(String)));
        return rows;
      };
      const bureauRows = await read(bureau.accessToken);
      expect(bureauRows[0]).toEqual(['姓名', '证件号码', '证书编号', '证书类型', '职业', '等级', '发证日期', '发证机构', '状态']);
      const row = bureauRows.find((r) => r[2] === pair.skill.number);
      expect(row).toEqual([holderName, full, pair.skill.number, '职业技能等级证书', '人工智能训练师', '三级/高级工', pair.skill.issueDate, pair.skill.issuerName, '有效']);
      const issuerRows = await read(admin.accessToken);
      expect(issuerRows.find((r) => r[2] === pair.skill.number)?.[1]).toBe(student.user.idNumberMasked);
      expect((await env.http().get('/api/v1/certificate-roster.xlsx').set(bearer(student.accessToken))).status).toBe(403);
      const audit = (await env.app.get(DataSource).query("SELECT detail FROM audit_events WHERE action = 'certificate.roster_exported'")) as { detail: string }[];
      expect(audit.map((a) => JSON.parse(a.detail).fullIdNumbers)).toEqual([true, false]);
    });
  });
});
