import { Inject, Injectable } from '@nestjs/common';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { ErrorCode } from '@aitrainer/contracts';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/app-config';
import { RateLimiters } from '../infra/limits/rate-limiters';
import { DomainError } from '../common/errors/domain-error';

/**
 * Counts failed logins per account and per client IP, shared by every API process (Redis, or the database when no
 * Redis is configured).
 */
@Injectable()
export class LoginThrottle {
  private readonly perAccount: RateLimiterAbstract;
  private readonly perIp: RateLimiterAbstract;

  constructor(@Inject(APP_CONFIG) config: AppConfig, limiters: RateLimiters) {
    const { loginMaxFailuresPerAccount, loginMaxFailuresPerIp, loginWindowSeconds } = config.auth;
    const make = (keyPrefix: string, points: number) => limiters.create({ keyPrefix, points, duration: loginWindowSeconds });
    // Prefixed per deployment (QUEUE_PREFIX), like every key this deployment keeps in Redis.
    this.perAccount = make(`${config.queuePrefix}:login-fail:account`, loginMaxFailuresPerAccount);
    this.perIp = make(`${config.queuePrefix}:login-fail:ip`, loginMaxFailuresPerIp);
  }

  /** Throws 429 when the account or the IP has used up its failures for the window. */
  async assertAllowed(username: string, ip: string | null): Promise<void> {
    const checks: [RateLimiterAbstract, string][] = [[this.perAccount, username.toLowerCase()]];
    if (ip) checks.push([this.perIp, ip]);
    for (const [limiter, key] of checks) {
      const res = await limiter.get(key);
      if (res && res.consumedPoints >= limiter.points) {
        const seconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
        throw new DomainError(ErrorCode.TooManyAttempts, `Too many failed sign-in attempts. Try again in ${seconds} seconds.`, undefined, {
          'Retry-After': String(seconds),
        });
      }
    }
  }

  async recordFailure(username: string, ip: string | null): Promise<void> {
    const consume = (limiter: RateLimiterAbstract, key: string) => limiter.consume(key).catch(() => undefined);
    await Promise.all([consume(this.perAccount, username.toLowerCase()), ip ? consume(this.perIp, ip) : undefined]);
  }

  async recordSuccess(username: string): Promise<void> {
    await this.perAccount.delete(username.toLowerCase());
  }
}
