import cluster from 'node:cluster';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { isAbsolute, join, resolve } from 'node:path';
import { availableParallelism, hostname } from 'node:os';
import { isIP } from 'node:net';

/** Everything the backend reads from the environment, validated once at boot. Nothing else reads process.env. */
export interface AppConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  /** API_PROCESSES: API processes sharing the one port (Node's cluster module); default one per core ("auto"). */
  apiProcesses: number;
  dataDir: string;
  database: { kind: 'mysql'; url: string } | { kind: 'sqlite'; file: string };
  redisUrl: string | null;
  portalDir: string | null;
  /**
   * Public origin of the portal and API (PUBLIC_BASE_URL): certificates' issuer, key, status list and verification
   * URLs. Unset, it is `http://localhost:<port>` and follows the port actually listened on (see main.ts).
   */
  publicBaseUrl: string;
  /** True when PUBLIC_BASE_URL was not set (the default above is in use). */
  publicBaseUrlDefaulted: boolean;
  /** Algorithm of the certificates' VC-JWTs (CERTIFICATE_JWT_ALG): RS256 (default, OB 3.0's minimum) or ES256. */
  certificateJwtAlgorithm: 'RS256' | 'ES256';
  /** Public certificate verifications per client IP per minute (VERIFY_PER_MINUTE), across processes with Redis. */
  verifyPerMinute: number;
  loadDemoData: boolean;
  /** Also the demo content (courses, exercises, bank, exams, sessions, certificates). Default: with the demo data, except under NODE_ENV=test. */
  loadDemoContent: boolean;
  auth: {
    jwtSecret: string;
    accessTokenTtlSeconds: number;
    refreshTokenTtlSeconds: number;
    /** scrypt cost parameter N (a power of two). */
    passwordHashCost: number;
    /** Failed sign-ins one address may make for one account before each further try must wait (1 s, 2 s, 4 s …). */
    loginFreeFailuresPerAddress: number;
    /** The longest wait between tries for one account from one address. */
    loginMaxDelaySeconds: number;
    /** How long the failures of one account from one address are remembered (the growing delay starts over after). */
    loginFailureMemorySeconds: number;
    /** Distinct failing addresses per account per window before new addresses must wait for the window to end. */
    loginMaxAddressesPerAccount: number;
    loginMaxFailuresPerIp: number;
    loginWindowSeconds: number;
  };
  /** 32-byte key for AES-256-GCM of personal data (ID numbers). */
  dataEncryptionKey: Buffer;
  /** The OpenAI-compatible provider; `null` when none is configured (prompt answers then go to human review). */
  llm: LlmConfig | null;
  /**
   * TRUST_PROXY: which hops in front of the API may say who the client is (X-Forwarded-For): `false` (none),
   * a hop count, or a list of trusted proxy addresses / CIDR ranges. Never "every hop" (a client could choose its IP).
   */
  trustProxy: TrustProxy;
  /** Playground runs of prompt tasks per student per day. */
  playgroundRunsPerDay: number;
  /** Overrides the first retry backoff of every job kind (ms); null keeps each kind's constant. */
  jobBackoffMs: number | null;
  /** Key prefix of the Bull queues in Redis (several deployments may share one Redis). */
  queuePrefix: string;
  /** How long a running job stays claimed without a heartbeat; a dead worker's job runs again after this. */
  jobLeaseMs: number;
  /** How often a worker re-enqueues what the database says is owed (also once at start-up); 0 turns it off. */
  reconcileIntervalMs: number;
  /** Where uploaded files (lesson attachments) are kept: STORAGE_DIR, default DATA_DIR/files. */
  storageDir: string;
  /** Logs, metrics and the X-Instance response header. */
  observability: ObservabilityConfig;
  /** The guards of LLM grading (docs/grading.md). */
  grading: GradingGuardConfig;
}

export interface GradingGuardConfig {
  /** GRADING_LLM_SCREEN: the narrow LLM call asking whether candidate text holds instructions for the grader (default on). */
  llmScreen: boolean;
  /** EXAM_AUDIT_SAMPLE_RATE: share of LLM-graded exam items sampled for a human audit, 0-1 (default 0.1). */
  auditSampleRate: number;
}

/** Express's `trust proxy` setting: false, a number of hops, or trusted addresses (IPs, CIDRs, loopback/linklocal/uniquelocal). */
export type TrustProxy = false | number | string[];

const PROXY_ADDRESS_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** Parses TRUST_PROXY; `true`/`yes`/`*` are refused: Express would then believe the left-most X-Forwarded-For entry. */
export function parseTrustProxy(raw: string | undefined): { value: TrustProxy } | { problem: string } {
  if (raw === undefined) return { value: false };
  const v = raw.trim().toLowerCase();
  if (v === '' || v === 'false' || v === 'no' || v === '0') return { value: false };
  if (['true', 'yes', '*', 'all'].includes(v)) {
    return {
      problem:
        `"${raw}" would trust every hop, so any client could choose its IP with X-Forwarded-For; ` +
        'give the number of proxies in front of the API (e.g. 1) or their addresses (e.g. 10.0.0.0/8,loopback)',
    };
  }
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    return hops <= 10 ? { value: hops } : { problem: `must be a hop count from 0 to 10, got "${raw}"` };
  }
  const items = v.split(',').map((s) => s.trim()).filter(Boolean);
  for (const item of items) {
    if (PROXY_ADDRESS_NAMES.includes(item)) continue;
    const [address, prefix, ...rest] = item.split('/');
    const family = isIP(address ?? '');
    const maxPrefix = family === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= maxPrefix);
    if (family === 0 || !prefixOk || rest.length > 0) {
      return { problem: `"${item}" is not an IP address, a CIDR range or one of ${PROXY_ADDRESS_NAMES.join(', ')}` };
    }
  }
  return items.length > 0 ? { value: items } : { value: false };
}

export type LogFormat = 'json' | 'pretty';
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ObservabilityConfig {
  /** LOG_FORMAT: one JSON object per line (production default) or human-readable lines. */
  logFormat: LogFormat;
  /** LOG_LEVEL: the least severe level written. */
  logLevel: LogLevel;
  /** METRICS_TOKEN: when set, GET /metrics needs `Authorization: Bearer <token>`. */
  metricsToken: string | null;
  /** INSTANCE_NAME: names this process in logs and the X-Instance header (default host-pid). */
  instanceName: string;
  /** METRICS_PORT: worker processes serve /metrics and /live on it; unset, a worker serves no HTTP at all. */
  metricsPort: number | null;
}

export interface LlmConfig {
  baseUrl: string;
  apiKey: string;
  /** Model that runs candidates' prompts. */
  model: string;
  /** Model that judges against the rubric (LLM_JUDGE_MODEL, defaults to LLM_MODEL). */
  judgeModel: string;
  /** LLM_JUDGE_MODEL_2: a second model for the second, independently framed judge run (default: the judge model). */
  secondJudgeModel?: string | null;
  /** LLM_SCREEN_MODEL: the model of the injection screen call (default: the judge model). */
  screenModel?: string | null;
  /** Per HTTP attempt; the SDK aborts and (maybe) retries after this. */
  timeoutMs: number;
  /** Retries by the openai SDK (it honours Retry-After); the only retry layer below the job queue. */
  maxRetries: number;
  /** Requests in flight at once, across every worker process when Redis is configured. */
  concurrency: number;
  /** Requests per minute, all processes together (sliding window). */
  rpm: number;
  /** Tokens (prompt + max_tokens reserved) per minute, all processes together. */
  tpm: number;
  /** USD per 1,000 prompt / completion tokens, for the cost recorded with each grade. */
  priceInputPer1k: number;
  priceOutputPer1k: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; problem: string }[]) {
    super(
      'Invalid configuration:\n' + problems.map((p) => `  ${p.variable}: ${p.problem}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function jwtAlgorithm(r: Reader): 'RS256' | 'ES256' {
  const value = r.string('CERTIFICATE_JWT_ALG') ?? 'RS256';
  if (value !== 'RS256' && value !== 'ES256') r.fail('CERTIFICATE_JWT_ALG', 'must be RS256 or ES256');
  return value === 'ES256' ? 'ES256' : 'RS256';
}

class Reader {
  readonly problems: { variable: string; problem: string }[] = [];
  constructor(private readonly env: Env) {}

  string(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      this.problems.push({ variable: name, problem: `must be a whole number from ${min} to ${max}, got "${raw}"` });
      return fallback;
    }
    return Number(raw);
  }

  decimal(name: string, fallback: number, min: number, max: number): number {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    if (!/^\d+(\.\d+)?$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      this.problems.push({ variable: name, problem: `must be a decimal number from ${min} to ${max}, got "${raw}"` });
      return fallback;
    }
    return Number(raw);
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    if (['true', '1', 'yes'].includes(raw.toLowerCase())) return true;
    if (['false', '0', 'no'].includes(raw.toLowerCase())) return false;
    this.problems.push({ variable: name, problem: `must be true or false, got "${raw}"` });
    return fallback;
  }

  url(name: string, protocols: string[]): string | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) {
        this.problems.push({ variable: name, problem: `must be a ${protocols.map((p) => p + '//').join(' or ')} URL` });
        return undefined;
      }
      return raw;
    } catch {
      this.problems.push({ variable: name, problem: 'is not a valid URL' });
      return undefined;
    }
  }

  fail(variable: string, problem: string): void {
    this.problems.push({ variable, problem });
  }
}

/**
 * Secrets for the embedded default: generated on first start and kept in DATA_DIR so that tokens and
 * encrypted ID numbers survive restarts. A server configuration (MySQL) must set them explicitly.
 */
function embeddedSecrets(dataDir: string): { jwtSecret: string; dataEncryptionKey: string } {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const secrets = { jwtSecret: randomBytes(48).toString('base64'), dataEncryptionKey: randomBytes(32).toString('base64') };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/** LLM_* settings. The limits are validated even without a provider so that a typo never waits for the day an LLM is added. */
function readLlmConfig(r: Reader): LlmConfig | null {
  const baseUrl = r.url('LLM_BASE_URL', ['http:', 'https:']);
  const model = r.string('LLM_MODEL');
  const apiKey = r.string('LLM_API_KEY');
  const judgeModel = r.string('LLM_JUDGE_MODEL');
  const limits = {
    timeoutMs: r.int('LLM_TIMEOUT_MS', 60000, 100, 3600000),
    maxRetries: r.int('LLM_MAX_RETRIES', 2, 0, 10),
    concurrency: r.int('LLM_CONCURRENCY', 4, 1, 10000),
    rpm: r.int('LLM_RPM', 60, 1, 10000000),
    tpm: r.int('LLM_TPM', 100000, 1, 1000000000),
    priceInputPer1k: r.decimal('LLM_PRICE_INPUT_PER_1K', 0, 0, 1000),
    priceOutputPer1k: r.decimal('LLM_PRICE_OUTPUT_PER_1K', 0, 0, 1000),
  };
  if (!baseUrl && !model && !apiKey && !judgeModel) return null;
  if (!baseUrl && !r.string('LLM_BASE_URL')) r.fail('LLM_BASE_URL', 'is required when LLM_MODEL, LLM_JUDGE_MODEL or LLM_API_KEY is set');
  if (!model) r.fail('LLM_MODEL', 'is required when an LLM is configured (e.g. qwen-plus, gpt-4o-mini)');
  if (!baseUrl || !model) return null;
  const secondJudgeModel = r.string('LLM_JUDGE_MODEL_2') ?? null;
  const screenModel = r.string('LLM_SCREEN_MODEL') ?? null;
  return { baseUrl, apiKey: apiKey ?? 'not-needed', model, judgeModel: judgeModel ?? model, secondJudgeModel, screenModel, ...limits };
}

function readObservabilityConfig(r: Reader, nodeEnv: string): ObservabilityConfig {
  const format = r.string('LOG_FORMAT') ?? (nodeEnv === 'production' ? 'json' : 'pretty');
  if (format !== 'json' && format !== 'pretty') r.fail('LOG_FORMAT', `must be json or pretty, got "${format}"`);
  const level = r.string('LOG_LEVEL') ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level)) r.fail('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${level}"`);
  const metricsToken = r.string('METRICS_TOKEN') ?? null;
  if (metricsToken !== null && metricsToken.length < 16) r.fail('METRICS_TOKEN', 'must be at least 16 characters');
  return {
    logFormat: format === 'json' ? 'json' : 'pretty',
    logLevel: (LOG_LEVELS as readonly string[]).includes(level) ? (level as LogLevel) : 'info',
    metricsToken,
    // Each of several API processes on one port names itself apart (INSTANCE_NAME-1, -2, ...).
    instanceName: withClusterWorker(r.string('INSTANCE_NAME')) ?? `${hostname()}-${process.pid}`,
    metricsPort: r.string('METRICS_PORT') === undefined ? null : r.int('METRICS_PORT', 9464, 1, 65535),
  };
}

function withClusterWorker(name: string | undefined): string | undefined {
  return name !== undefined && cluster.isWorker && cluster.worker ? `${name}-${cluster.worker.id}` : name;
}

function readTrustProxy(r: Reader): TrustProxy {
  const parsed = parseTrustProxy(r.string('TRUST_PROXY'));
  if ('problem' in parsed) {
    r.fail('TRUST_PROXY', parsed.problem);
    return false;
  }
  return parsed.value;
}

export function loadConfig(env: Env, cwd: string = process.cwd()): AppConfig {
  const r = new Reader(env);
  const nodeEnv = r.string('NODE_ENV') ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnv)) {
    r.fail('NODE_ENV', `must be development, production or test, got "${nodeEnv}"`);
  }
  const dataDirRaw = r.string('DATA_DIR') ?? 'data';
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(cwd, dataDirRaw);

  const databaseUrl = r.url('DATABASE_URL', ['mysql:', 'mariadb:']);
  const database: AppConfig['database'] = databaseUrl
    ? { kind: 'mysql', url: databaseUrl.replace(/^mariadb:/, 'mysql:') }
    : { kind: 'sqlite', file: join(dataDir, 'app.sqlite') };
  const redisUrl = r.url('REDIS_URL', ['redis:', 'rediss:']) ?? null;

  const embedded = database.kind === 'sqlite' && r.string('DATABASE_URL') === undefined;
  let jwtSecret = r.string('JWT_SECRET');
  let keyB64 = r.string('DATA_ENCRYPTION_KEY');
  if (embedded && (!jwtSecret || !keyB64)) {
    const generated = embeddedSecrets(dataDir);
    jwtSecret ??= generated.jwtSecret;
    keyB64 ??= generated.dataEncryptionKey;
  }
  if (!jwtSecret) r.fail('JWT_SECRET', 'is required when DATABASE_URL is set (at least 32 characters)');
  else if (jwtSecret.length < 32) r.fail('JWT_SECRET', 'must be at least 32 characters');
  let dataEncryptionKey = Buffer.alloc(0);
  if (!keyB64) r.fail('DATA_ENCRYPTION_KEY', 'is required when DATABASE_URL is set (32 bytes, base64)');
  else {
    dataEncryptionKey = Buffer.from(keyB64, 'base64');
    if (dataEncryptionKey.length !== 32) r.fail('DATA_ENCRYPTION_KEY', 'must be 32 bytes encoded as base64 (openssl rand -base64 32)');
  }

  const cost = r.int('PASSWORD_HASH_COST', 16384, 1024, 1048576);
  if ((cost & (cost - 1)) !== 0) r.fail('PASSWORD_HASH_COST', 'must be a power of two (e.g. 16384)');

  const llm = readLlmConfig(r);

  const storageRaw = r.string('STORAGE_DIR');
  const storageDir = storageRaw ? resolve(cwd, storageRaw) : join(dataDir, 'files');
  if (storageRaw && existsSync(storageDir) && !statSync(storageDir).isDirectory()) r.fail('STORAGE_DIR', `is not a directory (${storageDir})`);

  const portalRaw = r.string('PORTAL_DIR');
  const portalDir = portalRaw ? resolve(cwd, portalRaw) : resolve(cwd, 'dist/frontend/browser');
  if (portalRaw && !existsSync(join(portalDir, 'index.html'))) {
    r.fail('PORTAL_DIR', `has no index.html (${portalDir}); build the portal with "npm run build"`);
  }

  const config: AppConfig = {
    env: nodeEnv as AppConfig['env'],
    port: r.int('PORT', 3000, 0, 65535),
    apiProcesses: r.string('API_PROCESSES')?.toLowerCase() === 'auto' ? availableParallelism() : r.int('API_PROCESSES', availableParallelism(), 1, 64),
    dataDir,
    database,
    redisUrl,
    portalDir: existsSync(join(portalDir, 'index.html')) ? portalDir : null,
    publicBaseUrl: (r.url('PUBLIC_BASE_URL', ['http:', 'https:']) ?? `http://localhost:${r.int('PORT', 3000, 0, 65535)}`).replace(/\/+$/, ''),
    publicBaseUrlDefaulted: r.string('PUBLIC_BASE_URL') === undefined,
    certificateJwtAlgorithm: jwtAlgorithm(r),
    verifyPerMinute: r.int('VERIFY_PER_MINUTE', 60, 1, 1_000_000),
    loadDemoData: r.bool('DEMO_DATA', embedded),
    loadDemoContent: r.bool('DEMO_CONTENT', r.bool('DEMO_DATA', embedded) && nodeEnv !== 'test'),
    auth: {
      jwtSecret: jwtSecret ?? '',
      accessTokenTtlSeconds: r.int('ACCESS_TOKEN_TTL_SECONDS', 900, 30, 86400),
      refreshTokenTtlSeconds: r.int('REFRESH_TOKEN_TTL_SECONDS', 14 * 86400, 300, 90 * 86400),
      passwordHashCost: cost,
      loginFreeFailuresPerAddress: r.int('LOGIN_FREE_FAILURES_PER_ADDRESS', 5, 1, 1000),
      loginMaxDelaySeconds: r.int('LOGIN_MAX_DELAY_SECONDS', 900, 1, 86400),
      loginFailureMemorySeconds: r.int('LOGIN_FAILURE_MEMORY_SECONDS', 86400, 60, 30 * 86400),
      loginMaxAddressesPerAccount: r.int('LOGIN_MAX_ADDRESSES_PER_ACCOUNT', 10, 2, 100000),
      loginMaxFailuresPerIp: r.int('LOGIN_MAX_FAILURES_PER_IP', 50, 1, 100000),
      loginWindowSeconds: r.int('LOGIN_WINDOW_SECONDS', 900, 1, 86400),
    },
    dataEncryptionKey,
    llm,
    trustProxy: readTrustProxy(r),
    playgroundRunsPerDay: r.int('PLAYGROUND_RUNS_PER_DAY', 20, 0, 10000),
    queuePrefix: r.string('QUEUE_PREFIX') ?? 'aitrainer',
    jobLeaseMs: r.int('JOB_LEASE_MS', 30_000, 1000, 3_600_000),
    reconcileIntervalMs: r.int('RECONCILE_INTERVAL_MS', 60_000, 0, 3_600_000),
    jobBackoffMs: r.string('JOB_BACKOFF_MS') === undefined ? null : r.int('JOB_BACKOFF_MS', 1000, 10, 3_600_000),
    storageDir,
    observability: readObservabilityConfig(r, nodeEnv),
    grading: {
      llmScreen: r.bool('GRADING_LLM_SCREEN', true),
      auditSampleRate: r.decimal('EXAM_AUDIT_SAMPLE_RATE', 0.1, 0, 1),
    },
  };
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return config;
}
