import { Inject, Injectable, Optional } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { IsNull, type Repository } from 'typeorm';
import { ErrorCode, type Role, type TokenPair } from '@aitrainer/contracts';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/app-config';
import { DomainError } from '../common/errors/domain-error';
import type { Principal } from '../common/auth/principal';
import { Session } from './entities/session.entity';
import type { User } from './entities/user.entity';
import { BoundedMap } from '../common/cache/bounded-map';
import { coalescedSelect, mysqlPoolOf, type CoalescedLookup } from '../infra/database/coalesced-lookup';
import { Metrics } from '../infra/observability/metrics';

interface AccessClaims {
  sub: string;
  sid: string;
  role: Role;
  org: number | null;
}

const VERIFIED_TOKEN_CACHE_SIZE = 20_000;

/** A DATETIME as the driver returns it: a Date (mysql2, timezone Z) or 'YYYY-MM-DD HH:MM:SS[.fff]' in UTC (SQLite). */
function sessionExpiry(value: Date | string): number {
  return value instanceof Date ? value.getTime() : Date.parse(`${value.replace(' ', 'T')}Z`);
}

/** What the session check reads of a login session. */
interface SessionState {
  id: string;
  revoked_at: unknown;
  expires_at: Date | string;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Short-lived access tokens (JWT, HS256) bound to a server-side session, and opaque refresh tokens
 * `<sessionId>.<secret>` that rotate on every use. A refresh secret presented twice revokes the session.
 */
@Injectable()
export class TokenService {
  /** Signature-checked tokens (bounded, oldest out): pure results, so every process may keep its own. */
  private readonly verified = new BoundedMap<string, { principal: Principal; expiresAtMs: number }>(VERIFIED_TOKEN_CACHE_SIZE);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jwt: JwtService,
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    @Optional() metrics?: Metrics,
  ) {
    const pool = mysqlPoolOf(sessions.manager.connection);
    this.sessionLookup = pool ? coalescedSelect<SessionState>(pool, 'SELECT id, revoked_at, expires_at FROM sessions', 'id', (row) => row.id, { onBatch: (size) => metrics?.coalescedLookupKeys.observe({ lookup: 'session' }, size) }) : null;
  }

  /**
   * MySQL: the session checks of requests that arrive together go as one statement (every authenticated request
   * checks its login session; in an exam storm thousands a second).
   */
  private readonly sessionLookup: CoalescedLookup<SessionState> | null;

  async openSession(user: User, ip: string | null): Promise<TokenPair> {
    const now = new Date();
    const secret = randomBytes(32).toString('base64url');
    const session = this.sessions.create({
      id: randomUUID(),
      userId: user.id,
      refreshHash: sha256(secret),
      createdAt: now,
      lastUsedAt: now,
      expiresAt: new Date(now.getTime() + this.config.auth.refreshTokenTtlSeconds * 1000),
      revokedAt: null,
      revokedReason: null,
      ip,
    });
    await this.sessions.insert(session);
    return this.pair(user, session.id, secret);
  }

  /**
   * The principal named by a valid access token, or null, without the session check: for the answer-save fast path,
   * whose one statement checks the session itself (ExamAnswerStore.upsertInSession).
   */
  verifiedClaims(accessToken: string): Principal | null {
    const now = Date.now();
    const hit = this.verified.get(accessToken);
    if (hit) {
      if (hit.expiresAtMs > now) return hit.principal;
      this.verified.delete(accessToken);
    }
    let claims: AccessClaims & { exp: number };
    try {
      claims = this.jwt.verify<AccessClaims & { exp: number }>(accessToken, { algorithms: ['HS256'] });
    } catch {
      return null;
    }
    const principal: Principal = { userId: Number(claims.sub), role: claims.role, organisationId: claims.org, sessionId: claims.sid };
    // The same string carries the same signature: a token verified once needs only its expiry checked again.
    this.verified.set(accessToken, { principal, expiresAtMs: claims.exp * 1000 });
    return principal;
  }

  /**
   * Whether a login session is still live (not revoked, not expired): asked by every authenticated request, so a plain
   * statement without the query builder's cost.
   */
  async sessionActive(sessionId: string): Promise<boolean> {
    const session = this.sessionLookup
      ? await this.sessionLookup.get(sessionId)
      : ((await this.sessions.query('SELECT id, revoked_at, expires_at FROM sessions WHERE id = ?', [sessionId])) as SessionState[])[0];
    return Boolean(session && !session.revoked_at && sessionExpiry(session.expires_at) > Date.now());
  }

  async authenticate(accessToken: string): Promise<Principal> {
    let claims: AccessClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessClaims>(accessToken, { algorithms: ['HS256'] });
    } catch (e) {
      if ((e as Error).name === 'TokenExpiredError') throw DomainError.unauthenticated(ErrorCode.TokenExpired, 'The access token has expired');
      throw DomainError.unauthenticated(ErrorCode.Unauthenticated, 'The access token is not valid');
    }
    if (!(await this.sessionActive(claims.sid))) throw DomainError.unauthenticated(ErrorCode.SessionRevoked, 'This session has ended; sign in again');
    return { userId: Number(claims.sub), role: claims.role, organisationId: claims.org, sessionId: claims.sid };
  }

  /** Rotates the refresh token. The conditional update makes a concurrent second use lose, on any process. */
  async refresh(refreshToken: string, loadUser: (id: number) => Promise<User | null>): Promise<TokenPair> {
    const [sessionId, secret] = refreshToken.split('.');
    const invalid = () => DomainError.unauthenticated(ErrorCode.Unauthenticated, 'The refresh token is not valid');
    if (!sessionId || !secret) throw invalid();
    const session = await this.sessions.findOne({ where: { id: sessionId } });
    if (!session) throw invalid();
    if (session.revokedAt || session.expiresAt.getTime() <= Date.now()) {
      throw DomainError.unauthenticated(ErrorCode.SessionRevoked, 'This session has ended; sign in again');
    }
    const presented = sha256(secret);
    const next = randomBytes(32).toString('base64url');
    const result =
      presented === session.refreshHash
        ? await this.sessions.update(
            { id: session.id, refreshHash: presented, revokedAt: IsNull() },
            { refreshHash: sha256(next), lastUsedAt: new Date() },
          )
        : { affected: 0 };
    if (!result.affected) {
      // An old refresh token came back: someone holds a copy. End the session for everyone.
      await this.revoke(session.id, 'refresh_reuse');
      throw DomainError.unauthenticated(ErrorCode.RefreshTokenReused, 'This refresh token was already used; the session has been ended');
    }
    const user = await loadUser(session.userId);
    if (!user) throw invalid();
    return this.pair(user, session.id, next);
  }

  async revoke(sessionId: string, reason: string): Promise<void> {
    await this.sessions.update({ id: sessionId, revokedAt: IsNull() }, { revokedAt: new Date(), revokedReason: reason });
  }

  async revokeAllOf(userId: number, reason: string): Promise<void> {
    await this.sessions.update({ userId, revokedAt: IsNull() }, { revokedAt: new Date(), revokedReason: reason });
  }

  private async pair(user: User, sessionId: string, secret: string): Promise<TokenPair> {
    const claims: AccessClaims = { sub: String(user.id), sid: sessionId, role: user.role, org: user.organisationId };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.config.auth.accessTokenTtlSeconds, algorithm: 'HS256' });
    return { accessToken, expiresIn: this.config.auth.accessTokenTtlSeconds, refreshToken: `${sessionId}.${secret}` };
  }
}
