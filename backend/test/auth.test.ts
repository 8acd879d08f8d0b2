import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { DEMO_PASSWORD, DEMO_USERNAMES, ROLES, type ErrorBody, type LoginResponse } from '@aitrainer/contracts';
import { TokenService } from '../src/identity/token.service';
import { Metrics } from '../src/infra/observability/metrics';
import { bearer, startTestEnv, type TestEnv } from './support/test-app';

let t: TestEnv;
beforeAll(async () => {
  t = await startTestEnv({ LOGIN_FREE_FAILURES_PER_ADDRESS: '5', LOGIN_MAX_ADDRESSES_PER_ACCOUNT: '4', LOGIN_MAX_FAILURES_PER_IP: '12' });
}, 60_000);
afterAll(async () => t?.close());

describe('login', () => {
  it.each(ROLES)('signs in the demo %s and returns that role', async (role) => {
    const res = await t.http().post('/api/v1/auth/login').set('X-Forwarded-For', t.ip()).send({ username: DEMO_USERNAMES[role], password: DEMO_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.user.role).toBe(role);
    expect(res.body.accessToken).toEqual(expect.any(String));
    expect(res.body.refreshToken).toEqual(expect.any(String));
    expect(res.body.user).not.toHaveProperty('passwordHash');
    const me = await t.http().get('/api/v1/me').set(bearer(res.body.accessToken));
    expect(me.status).toBe(200);
    expect(me.body.username).toBe(DEMO_USERNAMES[role]);
  });

  it('answers a wrong password and an unknown user identically', async () => {
    const wrong = await t.http().post('/api/v1/auth/login').set('X-Forwarded-For', t.ip()).send({ username: 'demo.student', password: 'nope-1234' });
    const unknown = await t.http().post('/api/v1/auth/login').set('X-Forwarded-For', t.ip()).send({ username: 'nobody.here', password: 'nope-1234' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('names the missing fields in a 400', async () => {
    const res = await t.http().post('/api/v1/auth/login').send({ username: 'x' });
    expect(res.status).toBe(400);
    expect((res.body as ErrorBody).fields?.map((f) => f.field)).toContain('password');
  });

  it('refuses a malformed JSON body with 400, not 500', async () => {
    const res = await t.http().post('/api/v1/auth/login').set('Content-Type', 'application/json').send('{"username": "demo.student", ');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('MALFORMED_JSON');
  });

  const signIn = (username: string, password: string, ip: string) => t.http().post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ username, password });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('another address failing again and again never locks the owner out; that address waits 1 s, 2 s, 4 s …', async () => {
    const username = DEMO_USERNAMES.bureau_verifier;
    const classmate = t.ip();
    const home = t.ip();
    for (let i = 0; i < 5; i++) expect((await signIn(username, `wrong-${i}x`, classmate)).status).toBe(401);
    // The failing address now waits, even with the right password, and is told how long.
    const first = await signIn(username, DEMO_PASSWORD, classmate);
    expect(first.status).toBe(429);
    expect(first.body.code).toBe('TOO_MANY_ATTEMPTS');
    expect(first.body.params).toEqual({ scope: 'address', retryAfter: 1 });
    expect(first.headers['retry-after']).toBe('1');
    // The owner, from their own address, signs in all the while.
    expect((await signIn(username, DEMO_PASSWORD, home)).status).toBe(200);
    await sleep(1100);
    expect((await signIn(username, 'wrong-6x', classmate)).status).toBe(401);
    const second = await signIn(username, 'wrong-7x', classmate);
    expect(second.status).toBe(429);
    expect(second.body.params.retryAfter).toBe(2);
    expect((await signIn(username, DEMO_PASSWORD, home)).status).toBe(200);
    await sleep(2100);
    expect((await signIn(username, 'wrong-8x', classmate)).status).toBe(401);
    const third = await signIn(username, 'wrong-9x', classmate);
    expect(third.status).toBe(429);
    expect(third.body.params).toEqual({ scope: 'address', retryAfter: 4 });
    expect((await signIn(username, DEMO_PASSWORD, home)).status).toBe(200);
    // A third address is not slowed by the classmate's failures either.
    expect((await signIn(username, DEMO_PASSWORD, t.ip())).status).toBe(200);
  }, 30_000);

  it('many addresses failing on one account trip the account limit for new addresses only; the admin unlock ends it, audited', async () => {
    const schoolAdmin = await t.login('school_admin', t.ip());
    const created = await t.http().post('/api/v1/users').set(bearer(schoolAdmin.accessToken)).send({ username: 'stuffed.student', password: 'Owner1234', realName: '被猜的教员', role: 'instructor' });
    expect(created.status).toBe(201);
    const home = t.ip();
    expect((await signIn('stuffed.student', 'Owner1234', home)).status).toBe(200);
    // Four addresses (the limit in this suite) fail once each: distributed guessing.
    for (let i = 0; i < 4; i++) expect((await signIn('stuffed.student', `guess-${i}-1234`, t.ip())).status).toBe(401);
    const fresh = await signIn('stuffed.student', 'Owner1234', t.ip());
    expect(fresh.status).toBe(429);
    expect(fresh.body.params.scope).toBe('account');
    expect(fresh.body.params.retryAfter).toBeGreaterThan(0);
    // The address the owner signed in from before still passes.
    expect((await signIn('stuffed.student', 'Owner1234', home)).status).toBe(200);

    // An admin of another organisation cannot unlock it (nor learn that it exists).
    const otherOrg = await t.login('org_admin', t.ip());
    const refused = await t.http().post(`/api/v1/users/${created.body.id}/unlock-sign-in`).set(bearer(otherOrg.accessToken));
    expect(refused.status).toBe(404);
    expect((await signIn('stuffed.student', 'Owner1234', t.ip())).status).toBe(429);

    const unlocked = await t.http().post(`/api/v1/users/${created.body.id}/unlock-sign-in`).set(bearer(schoolAdmin.accessToken));
    expect(unlocked.status).toBe(200);
    expect((await signIn('stuffed.student', 'Owner1234', t.ip())).status).toBe(200);
    const platform = await t.login('platform_admin', t.ip());
    const audit = await t.http().get('/api/v1/audit-events').query({ subjectType: 'user', subjectId: String(created.body.id) }).set(bearer(platform.accessToken));
    expect(audit.status).toBe(200);
    expect(audit.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'user.sign_in_unlocked', actorId: schoolAdmin.user.id, subjectId: String(created.body.id) })]));
  });

  it('a platform admin can unlock any account; a student cannot unlock', async () => {
    const student = await t.login('student', t.ip());
    const platform = await t.login('platform_admin', t.ip());
    expect((await t.http().post(`/api/v1/users/${student.user.id}/unlock-sign-in`).set(bearer(student.accessToken))).status).toBe(403);
    expect((await t.http().post(`/api/v1/users/${student.user.id}/unlock-sign-in`).set(bearer(platform.accessToken))).status).toBe(200);
  });

  it('blocks one IP after too many failures across accounts, while another IP still signs in', async () => {
    const ip = t.ip();
    for (let i = 0; i < 12; i++) {
      await t.http().post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ username: `spray.${i}`, password: 'guess-1234' });
    }
    const blocked = await t.http().post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ username: DEMO_USERNAMES.instructor, password: DEMO_PASSWORD });
    expect(blocked.status).toBe(429);
    const other = await t.http().post('/api/v1/auth/login').set('X-Forwarded-For', t.ip()).send({ username: DEMO_USERNAMES.instructor, password: DEMO_PASSWORD });
    expect(other.status).toBe(200);
  });
});

describe('access tokens', () => {
  it('refuses a request without a token, with a tampered token, and with an expired one', async () => {
    expect((await t.http().get('/api/v1/me')).status).toBe(401);
    const { accessToken } = await t.login('student');
    const [h, p, s] = accessToken.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...payload, role: 'platform_admin' })).toString('base64url');
    const tampered = await t.http().get('/api/v1/organisations').set(bearer(`${h}.${forged}.${s}`));
    expect(tampered.status).toBe(401);
    expect(tampered.body.code).toBe('UNAUTHENTICATED');

    const expired = await t.app.get(JwtService).signAsync({ sub: payload.sub, sid: payload.sid, role: payload.role, org: payload.org, exp: Math.floor(Date.now() / 1000) - 60 });
    const res = await t.http().get('/api/v1/me').set(bearer(expired));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('TOKEN_EXPIRED');
  });

  it('refuses a token signed with another secret', async () => {
    const other = new JwtService({ secret: 'a-completely-different-secret-of-enough-length' });
    const token = await other.signAsync({ sub: '1', sid: 'x', role: 'platform_admin', org: null });
    expect((await t.http().get('/api/v1/me').set(bearer(token))).status).toBe(401);
  });
});

describe('refresh tokens', () => {
  it('rotates: the new one works, a reused one fails and ends the session', async () => {
    const login = await t.login('instructor', t.ip());
    const first = await t.http().post('/api/v1/auth/refresh').send({ refreshToken: login.refreshToken });
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(login.refreshToken);
    expect((await t.http().get('/api/v1/me').set(bearer(first.body.accessToken))).status).toBe(200);

    const reuse = await t.http().post('/api/v1/auth/refresh').send({ refreshToken: login.refreshToken });
    expect(reuse.status).toBe(401);
    expect(reuse.body.code).toBe('REFRESH_TOKEN_REUSED');

    // The whole session is gone: the legitimate new tokens stop working too.
    expect((await t.http().post('/api/v1/auth/refresh').send({ refreshToken: first.body.refreshToken })).status).toBe(401);
    const me = await t.http().get('/api/v1/me').set(bearer(first.body.accessToken));
    expect(me.status).toBe(401);
    expect(me.body.code).toBe('SESSION_REVOKED');
  });

  it('lets exactly one of two simultaneous refreshes win', async () => {
    const login = await t.login('instructor', t.ip());
    const results = await Promise.all([1, 2].map(() => t.http().post('/api/v1/auth/refresh').send({ refreshToken: login.refreshToken })));
    expect(results.filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
    expect(results.some((r) => r.status === 401)).toBe(true);
  });

  it('refuses garbage', async () => {
    const res = await t.http().post('/api/v1/auth/refresh').send({ refreshToken: 'not-a-token-at-all' });
    expect(res.status).toBe(401);
  });
});

describe('logout and password change', () => {
  it('logout ends the session: the access token and the refresh token fail next time', async () => {
    const login = await t.login('school_admin', t.ip());
    expect((await t.http().post('/api/v1/auth/logout').set(bearer(login.accessToken))).status).toBe(204);
    expect((await t.http().get('/api/v1/me').set(bearer(login.accessToken))).status).toBe(401);
    expect((await t.http().post('/api/v1/auth/refresh').send({ refreshToken: login.refreshToken })).status).toBe(401);
  });

  it('session checks arriving together: each request is judged by its own session (on MySQL one statement checks many)', async () => {
    const live = await t.login('instructor', t.ip());
    const ended = await t.login('instructor', t.ip());
    expect((await t.http().post('/api/v1/auth/logout').set(bearer(ended.accessToken))).status).toBe(204);
    const tokens = Array.from({ length: 24 }, (_, i) => (i % 3 === 2 ? ended : live).accessToken);
    const answers = await Promise.all(tokens.map((token) => t.http().get('/api/v1/me').set(bearer(token))));
    answers.forEach((res, i) => {
      if (i % 3 === 2) expect([res.status, res.body.code]).toEqual([401, 'SESSION_REVOKED']);
      else expect([res.status, res.body.username]).toEqual([200, DEMO_USERNAMES.instructor]);
    });
    // In one turn of the event loop: the right answer for each, and on MySQL fewer statements than checks.
    const tokensService = t.app.get(TokenService);
    const metrics = t.app.get(Metrics);
    const statements = async () => (await metrics.coalescedLookupKeys.get()).values.find((v) => v.metricName?.endsWith('_count') && v.labels['lookup'] === 'session')?.value ?? 0;
    const sid = (token: string) => (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sid: string }).sid;
    const before = await statements();
    const together = await Promise.all(tokens.map((token) => tokensService.sessionActive(sid(token))));
    expect(together).toEqual(tokens.map((_, i) => i % 3 !== 2));
    if (t.app.get(DataSource).options.type === 'mysql') expect((await statements()) - before).toBeLessThan(tokens.length / 4);
  });

  it('a password change ends every session and only the new password works', async () => {
    // A user of our own so the demo password stays valid for other tests.
    const admin = await t.login('school_admin', t.ip());
    const created = await t.http().post('/api/v1/users').set(bearer(admin.accessToken)).send({
      username: 'pw.changer', password: 'First1234', realName: '改密码', role: 'instructor',
    });
    expect(created.status).toBe(201);
    const signIn = (password: string) => t.http().post('/api/v1/auth/login').set('X-Forwarded-For', t.ip()).send({ username: 'pw.changer', password });
    const a = (await signIn('First1234')).body as LoginResponse;
    const b = (await signIn('First1234')).body as LoginResponse;

    const weak = await t.http().post('/api/v1/auth/password').set(bearer(a.accessToken)).send({ currentPassword: 'First1234', newPassword: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.body.fields[0].field).toBe('newPassword');
    const wrongCurrent = await t.http().post('/api/v1/auth/password').set(bearer(a.accessToken)).send({ currentPassword: 'Nope12345', newPassword: 'Second1234' });
    expect(wrongCurrent.status).toBe(400);
    expect(wrongCurrent.body.fields[0].field).toBe('currentPassword');

    const changed = await t.http().post('/api/v1/auth/password').set(bearer(a.accessToken)).send({ currentPassword: 'First1234', newPassword: 'Second1234' });
    expect(changed.status).toBe(200);
    expect((await t.http().get('/api/v1/me').set(bearer(a.accessToken))).status).toBe(401);
    expect((await t.http().get('/api/v1/me').set(bearer(b.accessToken))).status).toBe(401);
    expect((await t.http().post('/api/v1/auth/refresh').send({ refreshToken: b.refreshToken })).status).toBe(401);
    expect((await t.http().get('/api/v1/me').set(bearer(changed.body.accessToken))).status).toBe(200);
    expect((await signIn('First1234')).status).toBe(401);
    expect((await signIn('Second1234')).status).toBe(200);
  });
});

describe('sessions live in the database, not in one process', () => {
  it('a second API process honours logout done on the first', async () => {
    const second = await t.newApp();
    const login = await t.login('org_admin', t.ip());
    const request = (await import('supertest')).default;
    expect((await request(second.getHttpServer()).get('/api/v1/me').set(bearer(login.accessToken))).status).toBe(200);
    await t.http().post('/api/v1/auth/logout').set(bearer(login.accessToken));
    expect((await request(second.getHttpServer()).get('/api/v1/me').set(bearer(login.accessToken))).status).toBe(401);
  });

  (process.env['TEST_REDIS_URL'] ? it : it.skip)('login failures are counted across two API processes (Redis store)', async () => {
    const second = await t.newApp();
    const request = (await import('supertest')).default;
    const servers = [t.app.getHttpServer(), second.getHttpServer()];
    const ip = t.ip();
    for (let i = 0; i < 5; i++) {
      const res = await request(servers[i % 2]).post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ username: DEMO_USERNAMES.org_admin, password: `bad-${i}pw` });
      expect(res.status).toBe(401);
    }
    const blocked = await request(servers[1]).post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ username: DEMO_USERNAMES.org_admin, password: DEMO_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(blocked.body.params.scope).toBe('address');
    expect((await request(servers[0]).post('/api/v1/auth/login').set('X-Forwarded-For', t.ip()).send({ username: DEMO_USERNAMES.org_admin, password: DEMO_PASSWORD })).status).toBe(200);
  });

  it('stores sessions as rows, hashed', async () => {
    const login = await t.login('platform_admin', t.ip());
    const sid = login.refreshToken.split('.')[0];
    const rows = await t.app.get(DataSource).query('SELECT refresh_hash FROM sessions WHERE id = ?', [sid]);
    expect(rows).toHaveLength(1);
    expect(rows[0].refresh_hash).not.toContain(login.refreshToken.split('.')[1]);
  });
});
