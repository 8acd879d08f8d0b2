import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { createConnection } from 'mysql2/promise';
import request from 'supertest';
import { DEMO_PASSWORD, DEMO_USERNAMES, type LoginResponse, type Role } from '@aitrainer/contracts';
import { loadConfig, type AppConfig } from '../../src/infra/config/app-config';
import { createApi } from '../../src/bootstrap';

/**
 * Integration tests run on MySQL/MariaDB when TEST_MYSQL_URL is set (CI), each suite in a database of its
 * own, and on a fresh SQLite file otherwise. TEST_REDIS_URL adds Redis (limiter store, health).
 */
export interface TestEnv {
  config: AppConfig;
  apps: INestApplication[];
  app: INestApplication;
  http: () => ReturnType<typeof request>;
  /** A fresh client IP per call, sent as X-Forwarded-For, so throttling counts stay apart between tests. */
  ip: () => string;
  login: (role: Role, ip?: string) => Promise<LoginResponse>;
  newApp: () => Promise<INestApplication>;
  close: () => Promise<void>;
  dbKind: 'mysql' | 'sqlite';
}

export interface TestEnvOptions {
  /** Run the job handlers in the app too (the one-process start), so queued jobs are processed. */
  runWorker?: boolean;
}

export async function startTestEnv(overrides: Record<string, string> = {}, options: TestEnvOptions = {}): Promise<TestEnv> {
  const mysqlBase = process.env['TEST_MYSQL_URL'];
  const redisUrl = process.env['TEST_REDIS_URL'];
  const dataDir = mkdtempSync(join(tmpdir(), 'aitrainer-test-'));
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    DEMO_DATA: 'true',
    PASSWORD_HASH_COST: '1024',
    TRUST_PROXY: '1',
    PORTAL_DIR: '',
    JWT_SECRET: randomBytes(32).toString('hex'),
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOGIN_MAX_FAILURES_PER_IP: '1000',
    // Each suite its own Bull queues, so no suite's worker picks up another's jobs.
    QUEUE_PREFIX: `aitrainer-test-${randomBytes(4).toString('hex')}`,
  };
  let dbName: string | null = null;
  if (mysqlBase) {
    dbName = `aitrainer_t_${randomBytes(4).toString('hex')}`;
    const conn = await createConnection(mysqlBase);
    await conn.query(`CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await conn.end();
    const url = new URL(mysqlBase);
    url.pathname = '/' + dbName;
    env['DATABASE_URL'] = url.toString();
  }
  if (redisUrl) {
    env['REDIS_URL'] = redisUrl; // every Redis key of this suite is under its own QUEUE_PREFIX
  }
  const config = loadConfig({ ...env, ...overrides });
  const apps: INestApplication[] = [];
  const newApp = async () => {
    const app = await createApi(config, { logger: false, runWorker: options.runWorker ?? false });
    await app.init();
    apps.push(app);
    return app;
  };
  const app = await newApp();
  let ipCounter = 0;
  const http = () => request(app.getHttpServer());
  return {
    config,
    apps,
    app,
    http,
    dbKind: config.database.kind,
    ip: () => `10.${randomBytes(1)[0]}.${Math.floor(++ipCounter / 250)}.${(ipCounter % 250) + 1}`,
    login: async (role, ip = '10.250.0.1') => {
      const res = await http().post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ username: DEMO_USERNAMES[role], password: DEMO_PASSWORD });
      if (res.status !== 200) throw new Error(`login as ${role} failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as LoginResponse;
    },
    newApp,
    close: async () => {
      for (const a of apps) await a.close();
      if (mysqlBase && dbName) {
        const conn = await createConnection(mysqlBase);
        await conn.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
        await conn.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
