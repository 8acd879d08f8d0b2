import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { DEMO_PASSWORD, DEMO_USERNAMES, ROLES, type ErrorBody, type LoginResponse } from '@aitrainer/contracts';
import { bearer, startTestEnv, type TestEnv } from './support/test-app';

let t: TestEnv;
beforeAll(async () => {
  t = await startTestEnv({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '5', LOGIN_MAX_FAILURES_PER_IP: '12' });
});
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

  it('blocks an account after 5 failures, even with the right password, and says when to retry', async () => {
    const username = DEMO_USERNAMES.bureau_verifier;
    for (let i = 0; i < 5; i++) {
      const res = await t.http().post('/api/v1/auth/login').set('X-Forwarded-For', t.ip()).send({ username, password: `wrong-${i}x` });
      expect(res.status).toBe(401);
    }
    const blocked = await t.http().post('/api/v1/auth/login').set('X-Forwarded-For', t.ip()).send({ username, password: DEMO_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
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
    for (let i = 0; i < 5; i++) {
      const res = await request(servers[i % 2]).post('/api/v1/auth/login').set('X-Forwarded-For', t.ip()).send({ username: DEMO_USERNAMES.org_admin, password: `bad-${i}pw` });
      expect(res.status).toBe(401);
    }
    const blocked = await request(servers[1]).post('/api/v1/auth/login').set('X-Forwarded-For', t.ip()).send({ username: DEMO_USERNAMES.org_admin, password: DEMO_PASSWORD });
    expect(blocked.status).toBe(429);
  });

  it('stores sessions as rows, hashed', async () => {
    const login = await t.login('platform_admin', t.ip());
    const sid = login.refreshToken.split('.')[0];
    const rows = await t.app.get(DataSource).query('SELECT refresh_hash FROM sessions WHERE id = ?', [sid]);
    expect(rows).toHaveLength(1);
    expect(rows[0].refresh_hash).not.toContain(login.refreshToken.split('.')[1]);
  });
});
