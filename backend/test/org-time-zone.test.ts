import { jest } from '@jest/globals';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { LoginResponse } from '@aitrainer/contracts';
import { CertificateIssuanceService, type IssuedPair } from '../src/certificates/certificate-issuance.service';
import { zonedDate, zonedDateTime } from '../src/common/text/zoned-time';
import { bearer, startTestEnv, type TestEnv } from './support/test-app';

// Migrating a fresh MySQL database takes a while on a busy machine.
jest.setTimeout(120_000);

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/**
 * The organisation's time zone: validated and set by its admin, delivered with the profile, and used for the dates and
 * times the server writes (the certificate's issue date, the bulk verification CSV, the certificate roster).
 */
describe("an organisation's time zone", () => {
  let env: TestEnv;
  let admin: LoginResponse, platform: LoginResponse, student: LoginResponse, bureau: LoginResponse, instructor: LoginResponse;
  let orgId: number;
  const patch = (who: LoginResponse, id: number, body: object) => env.http().patch(`/api/v1/organisations/${id}`).set(bearer(who.accessToken)).send(body);

  beforeAll(async () => {
    env = await startTestEnv();
    [admin, platform, student, bureau, instructor] = await Promise.all([env.login('org_admin'), env.login('platform_admin'), env.login('student'), env.login('bureau_verifier'), env.login('instructor')]);
    orgId = admin.user.organisation!.id;
  });
  afterAll(async () => env?.close());

  it('is Asia/Shanghai by default, on the organisation and in the signed-in profile', async () => {
    expect(admin.user.timeZone).toBe('Asia/Shanghai');
    expect(admin.user.organisation?.timeZone).toBe('Asia/Shanghai');
    expect((await env.http().get(`/api/v1/organisations/${orgId}`).set(bearer(admin.accessToken))).body.timeZone).toBe('Asia/Shanghai');
  });

  it('refuses a name that is not an IANA time zone with a 400 naming the field, and changes nothing', async () => {
    for (const timeZone of ['Beijing', 'UTC+8', 'Asia/Nowhere', '', 42]) {
      const res = await patch(admin, orgId, { timeZone });
      expect(res.status).toBe(400);
      expect(res.body.fields.map((f: { field: string }) => f.field)).toContain('timeZone');
    }
    expect((await env.http().get(`/api/v1/organisations/${orgId}`).set(bearer(admin.accessToken))).body.timeZone).toBe('Asia/Shanghai');
    const created = await env.http().post('/api/v1/organisations').set(bearer(platform.accessToken)).send({ kind: 'school', name: '时区测试学校', timeZone: 'Mars/Base' });
    expect(created.status).toBe(400);
    expect(created.body.fields.map((f: { field: string }) => f.field)).toContain('timeZone');
  });

  it("is changed only by the organisation's admin or a platform admin, audited", async () => {
    expect((await patch(student, orgId, { timeZone: 'UTC' })).status).toBe(403);
    expect((await patch(instructor, orgId, { timeZone: 'UTC' })).status).toBe(403);
    const other = await env.http().post('/api/v1/organisations').set(bearer(platform.accessToken)).send({ kind: 'school', name: '另一所学校', timeZone: 'Asia/Urumqi' });
    expect(other.status).toBe(201);
    expect(other.body.timeZone).toBe('Asia/Urumqi');
    expect((await patch(admin, other.body.id, { timeZone: 'UTC' })).status).toBe(404);
    const byPlatform = await patch(platform, other.body.id, { timeZone: 'Asia/Hong_Kong' });
    expect(byPlatform.status).toBe(200);
    expect(byPlatform.body.timeZone).toBe('Asia/Hong_Kong');
    const [row] = await env.app.get(DataSource).query("SELECT detail FROM audit_events WHERE action = 'organisation.updated' AND subject_id = ?", [String(other.body.id)]);
    expect(JSON.parse(row.detail)).toEqual({ timeZone: 'Asia/Hong_Kong' });
  });

  describe('in what the server writes', () => {
    let pair: IssuedPair;
    // 23:30 UTC: already the next day in Beijing, still the same day in New York.
    const issuedAt = new Date('2026-03-10T23:30:00Z');

    beforeAll(async () => {
      const set = await patch(admin, orgId, { timeZone: 'America/New_York' });
      expect(set.status).toBe(200);
      const me = await env.http().get('/api/v1/me').set(bearer(admin.accessToken));
      expect(me.body.timeZone).toBe('America/New_York');
      await env.http().put('/api/v1/certificates/issuer-settings').set(bearer(admin.accessToken)).send({ kind: 'S', evaluationBodyCode: '0002', provinceCode: '11', siteSerial: '000123', enterprisePrefix: 'AITR' }).expect(200);
      await env.http().post('/api/v1/certificates/signing-keys/rotate').set(bearer(admin.accessToken)).expect(200);
      pair = await env.app.get(CertificateIssuanceService).issuePair({
        resultId: 9101, holderUserId: student.user.id, level: 4, trade: '数据标注', now: issuedAt,
        parts: [{ part: 'theory', scaled: 90, passed: true }, { part: 'practical', scaled: 88, passed: true }], sessionId: null, issuerId: orgId,
      });
    });
    afterAll(async () => {
      await patch(admin, orgId, { timeZone: 'Asia/Shanghai' });
    });

    it("dates the certificate by the issuer's calendar, not Beijing's", () => {
      expect(pair.skill.issueDate).toBe('2026-03-10');
      expect(zonedDate(issuedAt, 'Asia/Shanghai')).toBe('2026-03-11');
    });

    it("shows a revocation time in the issuer's zone in the worded bulk CSV and the public answer; the codes variant keeps the instant", async () => {
      const revoked = await env.http().post(`/api/v1/certificates/${pair.enterprise.id}/status`).set(bearer(admin.accessToken)).send({ status: 'revoked', reason: '证书信息有误' });
      expect(revoked.status).toBe(200);
      const [{ status_changed_at }] = await env.app.get(DataSource).query('SELECT status_changed_at FROM certificates WHERE id = ?', [pair.enterprise.id]);
      const at = status_changed_at instanceof Date ? status_changed_at : new Date(`${String(status_changed_at).replace(' ', 'T')}Z`);
      const rows = { rows: [{ number: pair.enterprise.number, name: student.user.realName }] };
      const zh = await env.http().post('/api/v1/bureau/verify/bulk/mine?lang=zh').set(bearer(bureau.accessToken)).send(rows);
      expect(zh.status).toBe(200);
      const [header, line] = zh.text.trim().split('\n');
      expect(header).toContain('状态变更时间（发证机构所在时区）');
      expect(line).toContain('已撤销');
      expect(line).toContain(zonedDateTime(at, 'America/New_York'));
      expect(zonedDateTime(at, 'America/New_York')).not.toBe(zonedDateTime(at, 'Asia/Shanghai'));
      const codes = await env.http().post('/api/v1/bureau/verify/bulk/mine').set(bearer(bureau.accessToken)).send(rows);
      expect(codes.text.split('\n')[0]).toBe('row,number,status,status_changed_at,kind,level,issue_date,issuer,twin_number');
      expect(codes.text.split('\n')[1]).toContain(',revoked,');
      const answer = await env.http().post('/api/v1/verify').send({ number: pair.enterprise.number, name: student.user.realName });
      expect(answer.body).toMatchObject({ status: 'revoked', issuerTimeZone: 'America/New_York', issueDate: '2026-03-10' });
    });

    it('words the certificate roster in the requester’s language, or keeps codes', async () => {
      const read = async (lang: string) => {
        const res = await env.http().get(`/api/v1/certificate-roster.xlsx?lang=${lang}`).set(bearer(admin.accessToken)).buffer(true).parse(binary);
        expect(res.status).toBe(200);
        const book = new ExcelJS.Workbook();
        await book.xlsx.load(res.body as unknown as ArrayBuffer);
        const sheet = book.worksheets[0];
        return [1, 2, 3].map((r) => (sheet.getRow(r).values as unknown[]).slice(1).map(String));
      };
      const zh = await read('zh');
      expect(zh[0]).toEqual(['姓名', '证件号码', '证书编号', '证书类型', '职业', '等级', '发证日期', '发证机构', '状态']);
      expect(zh.slice(1).map((r) => r[8]).sort()).toEqual(['已撤销', '有效']);
      const en = await read('en');
      expect(en[0][0]).toBe('Name');
      expect(en.slice(1).map((r) => r[8]).sort()).toEqual(['Revoked', 'Valid']);
      const codes = await read('codes');
      expect(codes[0]).toEqual(['holder_name', 'id_number', 'number', 'kind', 'occupation', 'level', 'issue_date', 'issuer', 'status']);
      expect(codes.slice(1).map((r) => r[8]).sort()).toEqual(['revoked', 'valid']);
      expect(codes[1][6]).toBe('2026-03-10');
    });
  });
});
