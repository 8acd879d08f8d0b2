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
    expect(c.llm).toEqual({ baseUrl: 'http://127.0.0.1:11434/v1', apiKey: 'not-needed', model: 'qwen2.5' });
  });
});
