import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './app-config';

const dir = () => mkdtempSync(join(tmpdir(), 'cfg-'));
const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig({ DATA_DIR: dir(), ...env });
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => p.variable);
    throw e;
  }
  return [];
};

describe('loadConfig', () => {
  it('runs on the embedded default with nothing set, generating and keeping its secrets', () => {
    const dataDir = dir();
    const a = loadConfig({ DATA_DIR: dataDir });
    expect(a.database).toEqual({ kind: 'sqlite', file: join(dataDir, 'app.sqlite') });
    expect(a.redisUrl).toBeNull();
    expect(a.loadDemoData).toBe(true);
    expect(a.port).toBe(3000);
    const b = loadConfig({ DATA_DIR: dataDir });
    expect(b.auth.jwtSecret).toBe(a.auth.jwtSecret);
    expect(JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')).jwtSecret).toBe(a.auth.jwtSecret);
  });

  it('requires explicit secrets on MySQL and names them', () => {
    expect(problemsOf({ DATABASE_URL: 'mysql://root@127.0.0.1:3306/app' })).toEqual(['JWT_SECRET', 'DATA_ENCRYPTION_KEY']);
  });

  it.each([
    [{ DATABASE_URL: 'postgres://x/y' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'http://localhost:6379' }, 'REDIS_URL'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ DATA_ENCRYPTION_KEY: 'c2hvcnQ=' }, 'DATA_ENCRYPTION_KEY'],
    [{ PASSWORD_HASH_COST: '3000' }, 'PASSWORD_HASH_COST'],
    [{ DEMO_DATA: 'maybe' }, 'DEMO_DATA'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ LLM_MODEL: 'qwen-plus' }, 'LLM_BASE_URL'],
    [{ LLM_BASE_URL: 'http://127.0.0.1:11434/v1' }, 'LLM_MODEL'],
    [{ PORTAL_DIR: '/nonexistent/portal' }, 'PORTAL_DIR'],
    [{ LLM_JUDGE_MODEL: 'qwen-max' }, 'LLM_BASE_URL'],
    [{ LLM_BASE_URL: 'ftp://127.0.0.1/v1', LLM_MODEL: 'm' }, 'LLM_BASE_URL'],
    [{ LLM_TIMEOUT_MS: '0' }, 'LLM_TIMEOUT_MS'],
    [{ LLM_TIMEOUT_MS: '60s' }, 'LLM_TIMEOUT_MS'],
    [{ LLM_MAX_RETRIES: '-1' }, 'LLM_MAX_RETRIES'],
    [{ LLM_MAX_RETRIES: '11' }, 'LLM_MAX_RETRIES'],
    [{ LLM_CONCURRENCY: '0' }, 'LLM_CONCURRENCY'],
    [{ LLM_RPM: '1.5' }, 'LLM_RPM'],
    [{ LLM_TPM: 'lots' }, 'LLM_TPM'],
    [{ LLM_PRICE_INPUT_PER_1K: '-0.01' }, 'LLM_PRICE_INPUT_PER_1K'],
    [{ LLM_PRICE_OUTPUT_PER_1K: '$0.002' }, 'LLM_PRICE_OUTPUT_PER_1K'],
  ])('refuses %j naming %s', (env, variable) => {
    expect(problemsOf(env)).toContain(variable);
  });

  it('lists every problem at once in its message', () => {
    try {
      loadConfig({ DATA_DIR: dir(), PORT: 'x', REDIS_URL: 'ftp://a' });
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect((e as Error).message).toMatch(/PORT: must be a whole number/);
      expect((e as Error).message).toMatch(/REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/);
    }
  });

  it('accepts an OpenAI-compatible endpoint', () => {
    const c = loadConfig({ DATA_DIR: dir(), LLM_BASE_URL: 'http://127.0.0.1:11434/v1', LLM_MODEL: 'qwen2.5' });
    expect(c.llm).toEqual({
      baseUrl: 'http://127.0.0.1:11434/v1',
      apiKey: 'not-needed',
      model: 'qwen2.5',
      judgeModel: 'qwen2.5',
      secondJudgeModel: null,
      screenModel: null,
      timeoutMs: 60000,
      maxRetries: 2,
      concurrency: 4,
      rpm: 60,
      tpm: 100000,
      priceInputPer1k: 0,
      priceOutputPer1k: 0,
    });
  });

  it('has no LLM with nothing LLM_* set, even when limits are given', () => {
    expect(loadConfig({ DATA_DIR: dir() }).llm).toBeNull();
    expect(loadConfig({ DATA_DIR: dir(), LLM_RPM: '30' }).llm).toBeNull();
  });

  it('reads every LLM setting', () => {
    const c = loadConfig({
      DATA_DIR: dir(),
      LLM_BASE_URL: 'https://dashscope.example/compatible-mode/v1',
      LLM_API_KEY: 'sk-test',
      LLM_MODEL: 'qwen-plus',
      LLM_JUDGE_MODEL: 'qwen-max',
      LLM_JUDGE_MODEL_2: 'deepseek-v3',
      LLM_SCREEN_MODEL: 'qwen-turbo',
      LLM_TIMEOUT_MS: '30000',
      LLM_MAX_RETRIES: '0',
      LLM_CONCURRENCY: '8',
      LLM_RPM: '600',
      LLM_TPM: '2000000',
      LLM_PRICE_INPUT_PER_1K: '0.0008',
      LLM_PRICE_OUTPUT_PER_1K: '0.002',
    });
    expect(c.llm).toEqual({
      baseUrl: 'https://dashscope.example/compatible-mode/v1',
      apiKey: 'sk-test',
      model: 'qwen-plus',
      judgeModel: 'qwen-max',
      secondJudgeModel: 'deepseek-v3',
      screenModel: 'qwen-turbo',
      timeoutMs: 30000,
      maxRetries: 0,
      concurrency: 8,
      rpm: 600,
      tpm: 2000000,
      priceInputPer1k: 0.0008,
      priceOutputPer1k: 0.002,
    });
  });

  it('reads the grading guards: LLM screen on and a 10 % exam audit sample by default; a bad rate is named', () => {
    expect(loadConfig({ DATA_DIR: dir() }).grading).toEqual({ llmScreen: true, auditSampleRate: 0.1 });
    expect(loadConfig({ DATA_DIR: dir(), GRADING_LLM_SCREEN: 'false', EXAM_AUDIT_SAMPLE_RATE: '0.25' }).grading).toEqual({ llmScreen: false, auditSampleRate: 0.25 });
    expect(() => loadConfig({ DATA_DIR: dir(), EXAM_AUDIT_SAMPLE_RATE: '1.5' })).toThrow(/EXAM_AUDIT_SAMPLE_RATE/);
  });

  it.each([
    [undefined, false],
    ['false', false],
    ['1', 1],
    ['2', 2],
    ['10.0.0.0/8', ['10.0.0.0/8']],
    ['loopback, 10.0.0.0/8, 192.168.1.7, fd00::/8', ['loopback', '10.0.0.0/8', '192.168.1.7', 'fd00::/8']],
  ])('TRUST_PROXY=%s trusts %p', (raw, expected) => {
    const c = loadConfig({ DATA_DIR: dir(), ...(raw !== undefined && { TRUST_PROXY: raw }) });
    expect(c.trustProxy).toEqual(expected);
  });

  it.each(['true', 'TRUE', 'yes', '*', '10.0.0.0/33', '10.0.0', 'proxy.example', '11'])('TRUST_PROXY=%s is refused with a message', (raw) => {
    try {
      loadConfig({ DATA_DIR: dir(), TRUST_PROXY: raw });
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problem = (e as ConfigError).problems.find((p) => p.variable === 'TRUST_PROXY');
      expect(problem?.problem).toMatch(/hop|address|CIDR/);
    }
  });
});
