import { Inject, Injectable } from '@nestjs/common';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { ErrorCode, type LoginThrottleScope } from '@aitrainer/contracts';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/app-config';
import { RateLimiters } from '../infra/limits/rate-limiters';
import { DomainError } from '../common/errors/domain-error';

/** How long an address the owner signed in from is remembered as theirs (it then passes the account-wide and per-IP limits). */
const KNOWN_ADDRESS_SECONDS = 30 * 86400;
/** Effectively unlimited points, for the stores used as counters rather than limits. */
const COUNTER = 1_000_000_000;

/**
 * Sign-in throttling that a third party cannot turn into a lock-out (docs/operations.md, "Sign-in throttling"):
 *
 * - per (account, address): the first LOGIN_FREE_FAILURES_PER_ADDRESS failures are free, then every further try from
 *   that address for that account waits 1 s, 2 s, 4 s … up to LOGIN_MAX_DELAY_SECONDS. Other addresses are untouched,
 *   so a classmate failing on purpose never stops the owner signing in from their own address;
 * - per account, across addresses: when LOGIN_MAX_ADDRESSES_PER_ACCOUNT distinct addresses have failed within the
 *   window (distributed guessing, credential stuffing), addresses the owner has not signed in from before wait for the
 *   window to end; addresses the owner signed in from in the last 30 days still pass;
 * - per address, across accounts: LOGIN_MAX_FAILURES_PER_IP failures per window (password spraying); again an address
 *   the account's owner signed in from before still passes for that account.
 *
 * An organisation's admin (or a platform admin) can clear an account's counters (audited). Every counter lives in
 * Redis, or in the database's rate_limits table without Redis, so every API process counts together.
 */
@Injectable()
export class LoginThrottle {
  private readonly free: number;
  private readonly maxDelay: number;
  /** Failures per (epoch, account, address), remembered LOGIN_FAILURE_MEMORY_SECONDS. */
  private readonly pairFailures: RateLimiterAbstract;
  /** The wait an (epoch, account, address) is under, as a block of its own length. */
  private readonly pairWait: RateLimiterAbstract;
  /** Distinct failing addresses per (epoch, account) in the window. */
  private readonly accountAddresses: RateLimiterAbstract;
  private readonly perIp: RateLimiterAbstract;
  /** (account, address) pairs with a successful sign-in. */
  private readonly knownAddresses: RateLimiterAbstract;
  /** Bumped by an admin's unlock: every counter of the account starts afresh. */
  private readonly epochs: RateLimiterAbstract;

  constructor(@Inject(APP_CONFIG) config: AppConfig, limiters: RateLimiters) {
    const a = config.auth;
    this.free = a.loginFreeFailuresPerAddress;
    this.maxDelay = a.loginMaxDelaySeconds;
    // Prefixed per deployment (QUEUE_PREFIX), like every key this deployment keeps in Redis.
    const make = (name: string, points: number, duration: number) => limiters.create({ keyPrefix: `${config.queuePrefix}:login:${name}`, points, duration });
    this.pairFailures = make('pair-failures', COUNTER, a.loginFailureMemorySeconds);
    this.pairWait = make('pair-wait', 1, a.loginMaxDelaySeconds);
    this.accountAddresses = make('account-addresses', a.loginMaxAddressesPerAccount, a.loginWindowSeconds);
    this.perIp = make('ip-failures', a.loginMaxFailuresPerIp, a.loginWindowSeconds);
    this.knownAddresses = make('known', 1, KNOWN_ADDRESS_SECONDS);
    this.epochs = make('epoch', COUNTER, a.loginFailureMemorySeconds);
  }

  /** Throws 429 (code TOO_MANY_ATTEMPTS, params scope and retryAfter, a Retry-After header) when this try must wait. */
  async assertAllowed(username: string, ip: string | null): Promise<void> {
    const account = accountOf(username);
    const epoch = await this.epoch(account);
    const wait = await this.pairWait.get(pairKey(epoch, account, ip));
    if (wait && wait.consumedPoints > this.pairWait.points) throw tooMany('address', wait.msBeforeNext);
    if (await this.knownAddresses.get(`${account}|${ip ?? '-'}`)) return;
    if (ip) {
      const perIp = await this.perIp.get(ip);
      if (perIp && perIp.consumedPoints >= this.perIp.points) throw tooMany('ip', perIp.msBeforeNext);
    }
    const spread = await this.accountAddresses.get(`${epoch}|${account}`);
    if (spread && spread.consumedPoints >= this.accountAddresses.points) throw tooMany('account', spread.msBeforeNext);
  }

  async recordFailure(username: string, ip: string | null): Promise<void> {
    const account = accountOf(username);
    const epoch = await this.epoch(account);
    const key = pairKey(epoch, account, ip);
    const failures = (await this.pairFailures.consume(key)).consumedPoints;
    const writes: Promise<unknown>[] = [];
    // The first failure of this address for this account counts it among the account's failing addresses.
    if (failures === 1) writes.push(this.accountAddresses.consume(`${epoch}|${account}`).catch(() => undefined));
    if (failures >= this.free) writes.push(this.pairWait.block(key, Math.min(this.maxDelay, 2 ** Math.min(30, failures - this.free))));
    if (ip) writes.push(this.perIp.consume(ip).catch(() => undefined));
    await Promise.all(writes);
  }

  /** The owner got in from this address: its failures are forgotten and the address is remembered as theirs. */
  async recordSuccess(username: string, ip: string | null): Promise<void> {
    const account = accountOf(username);
    const key = pairKey(await this.epoch(account), account, ip);
    await Promise.all([this.pairFailures.delete(key), this.pairWait.delete(key), this.knownAddresses.block(`${account}|${ip ?? '-'}`, KNOWN_ADDRESS_SECONDS)]);
  }

  /** An administrator's unlock: every wait and count of the account ends (the per-IP counts stay: they are not the account's). */
  async unlock(username: string): Promise<void> {
    const account = accountOf(username);
    const old = await this.epoch(account);
    await this.epochs.consume(account);
    await this.accountAddresses.delete(`${old}|${account}`);
  }

  private async epoch(account: string): Promise<number> {
    return (await this.epochs.get(account))?.consumedPoints ?? 0;
  }
}

const accountOf = (username: string) => username.trim().toLowerCase();
const pairKey = (epoch: number, account: string, ip: string | null) => `${epoch}|${account}|${ip ?? '-'}`;

function tooMany(scope: LoginThrottleScope, msBeforeNext: number): DomainError {
  const retryAfter = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new DomainError(ErrorCode.TooManyAttempts, `Too many failed sign-in attempts (${scope}). Try again in ${retryAfter} seconds.`, undefined, { 'Retry-After': String(retryAfter) }, { scope, retryAfter });
}
