import { Injectable } from '@nestjs/common';
import { ErrorCode, type LoginResponse, type TokenPair } from '@aitrainer/contracts';
import { DomainError } from '../common/errors/domain-error';
import type { RequestContext } from '../common/auth/principal';
import { AuditService } from '../audit/audit.service';
import { PasswordHasher } from '../infra/crypto/password-hasher';
import { LoginThrottle } from './login-throttle.service';
import { TokenService } from './token.service';
import { UsersService } from './users.service';
import { toUserView } from './user-view';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditService,
  ) {}

  async login(username: string, password: string, ip: string | null): Promise<LoginResponse> {
    await this.throttle.assertAllowed(username, ip);
    const user = await this.users.findByUsername(username);
    const ok = user ? await this.hasher.verify(password, user.passwordHash) : await this.hasher.verifyAgainstDummy(password);
    if (!user || !ok) {
      await this.throttle.recordFailure(username, ip);
      await this.audit.record({ actorId: user?.id ?? null, action: 'auth.login_failed', subjectType: 'user', subjectId: user?.id ?? null, ip, detail: { username } });
      throw new DomainError(ErrorCode.InvalidCredentials, 'Wrong username or password');
    }
    await this.throttle.recordSuccess(username, ip);
    if (user.disabledAt) throw new DomainError(ErrorCode.AccountDisabled, 'This account has been disabled');
    const tokens = await this.tokens.openSession(user, ip);
    await this.audit.record({ actorId: user.id, action: 'auth.login', subjectType: 'user', subjectId: user.id, ip });
    return { ...tokens, user: toUserView(user) };
  }

  refresh(refreshToken: string): Promise<TokenPair> {
    return this.tokens.refresh(refreshToken, async (id) => {
      const user = await this.users.findById(id);
      return user && !user.disabledAt ? user : null;
    });
  }

  async logout({ principal, ip }: RequestContext): Promise<void> {
    await this.tokens.revoke(principal.sessionId, 'logout');
    await this.audit.record({ actorId: principal.userId, action: 'auth.logout', subjectType: 'user', subjectId: principal.userId, ip });
  }

  /** A new password ends every session of the account, this one included, and opens a fresh one. */
  async changePassword({ principal, ip }: RequestContext, currentPassword: string, newPassword: string): Promise<LoginResponse> {
    const user = await this.users.findById(principal.userId);
    if (!user) throw DomainError.unauthenticated();
    await this.throttle.assertAllowed(user.username, ip);
    if (!(await this.hasher.verify(currentPassword, user.passwordHash))) {
      await this.throttle.recordFailure(user.username, ip);
      throw DomainError.validation('currentPassword', 'WRONG_CURRENT_PASSWORD');
    }
    if (currentPassword === newPassword) throw DomainError.validation('newPassword', 'PASSWORD_UNCHANGED');
    await this.users.setPassword(user, newPassword);
    await this.tokens.revokeAllOf(user.id, 'password_changed');
    await this.audit.record({ actorId: user.id, action: 'auth.password_changed', subjectType: 'user', subjectId: user.id, ip });
    const tokens = await this.tokens.openSession(user, ip);
    return { ...tokens, user: toUserView(user) };
  }
}
