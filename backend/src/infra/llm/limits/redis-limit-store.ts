import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AdmitResult, LimitPolicy, LimitStore } from './limit-store';

/*
 * Two sorted sets per provider budget, checked and updated in one Lua call so that processes never
 * race each other:
 *   slots: member = admission id, score = lease expiry; an expired lease is a holder that died.
 *   log:   member = "<id>|<tokens>", score = admission time; a sliding window, not fixed buckets,
 *          because fixed one-minute buckets let twice the limit through around a bucket boundary.
 * Time comes from the Redis server so that processes on different hosts agree on it.
 */
const ADMIT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local id, tokens = ARGV[1], tonumber(ARGV[2])
local concurrency, rpw, tpw = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local window, lease = tonumber(ARGV[6]), tonumber(ARGV[7])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= concurrency then return -1 end
local log = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
local count = #log / 2
if count >= rpw then
  return tonumber(log[(count - rpw) * 2 + 2]) + window - now
end
local used = 0
for i = 1, #log, 2 do used = used + tonumber(string.match(log[i], '|(%d+)$')) end
if used + tokens > tpw then
  for i = 1, #log, 2 do
    used = used - tonumber(string.match(log[i], '|(%d+)$'))
    if used + tokens <= tpw then return tonumber(log[i + 1]) + window - now end
  end
  return window
end
redis.call('ZADD', KEYS[1], now + lease, id)
redis.call('ZADD', KEYS[2], now, id .. '|' .. tokens)
redis.call('PEXPIRE', KEYS[1], lease)
redis.call('PEXPIRE', KEYS[2], window)
return -2
`;

const SETTLE = `
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[1], score, ARGV[2])
return 1
`;

const ADMITTED = -2;
const WAIT_FOR_SLOT = -1;

class Script {
  private readonly sha: string;
  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /** EVALSHA, loading the script on the first NOSCRIPT (after a Redis restart or on a fresh server). */
  async run(redis: Redis, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.includes('NOSCRIPT')) throw err;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

const admitScript = new Script(ADMIT);
const settleScript = new Script(SETTLE);

export class RedisLimitStore implements LimitStore {
  private readonly slotsKey: string;
  private readonly logKey: string;

  /** The hash tag keeps both keys in one cluster slot, as a multi-key script requires. */
  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.slotsKey = `{${prefix}}:slots`;
    this.logKey = `{${prefix}}:log`;
  }

  async tryAdmit(id: string, tokens: number, p: LimitPolicy): Promise<AdmitResult> {
    const args = [id, Math.ceil(tokens), p.concurrency, p.requestsPerWindow, p.tokensPerWindow, p.windowMs, p.slotLeaseMs];
    const result = Number(await admitScript.run(this.redis, [this.slotsKey, this.logKey], args));
    if (result === ADMITTED) return { admitted: true };
    return { admitted: false, retryInMs: result === WAIT_FOR_SLOT ? null : Math.max(1, result) };
  }

  async releaseSlot(id: string): Promise<void> {
    await this.redis.zrem(this.slotsKey, id);
  }

  async settleTokens(id: string, reserved: number, actual: number): Promise<void> {
    await settleScript.run(this.redis, [this.logKey], [`${id}|${Math.ceil(reserved)}`, `${id}|${Math.ceil(actual)}`]);
  }
}
