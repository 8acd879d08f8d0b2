import 'reflect-metadata';
import cluster from 'node:cluster';
import type { Server } from 'node:http';
import { Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DEMO_PASSWORD, DEMO_USERNAMES, ROLES } from '@aitrainer/contracts';
import { ConfigError, loadConfig, type AppConfig } from './infra/config/app-config';
import { followListenedPort } from './infra/config/public-base-url';
import { dataSourceOptions } from './infra/database/data-source-options';
import { runMigrations } from './infra/database/migrate';
import { createApi, createAppLogger } from './bootstrap';
import { Metrics } from './infra/observability/metrics';
import { startMetricsServer } from './infra/observability/metrics-server';
import { serveAggregatedMetrics, shareMetricsWithPrimary } from './infra/observability/cluster-metrics';
import { WorkerAppModule } from './app.module';

const USAGE = `usage: node dist/backend/main.cjs [all|api|worker|migrate]
  all      API, portal and job worker (default; the one-command start)
  api      API and portal only: enqueue jobs, run none (scale out with separate workers)
           (all and api run API_PROCESSES processes on the one port, default one per core)
  worker   job handlers only, no HTTP
  migrate  apply pending database migrations and exit
  demo     apply migrations, load the demo accounts and content if they are not there yet, and exit`;

async function migrateOnly(config: AppConfig): Promise<void> {
  @Module({ imports: [TypeOrmModule.forRoot(dataSourceOptions(config))] })
  class MigrateModule {}
  const ctx = await NestFactory.createApplicationContext(MigrateModule, { logger: ['error', 'warn'] });
  const applied = await runMigrations(ctx.get(DataSource));
  console.warn(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'Schema is up to date');
  await ctx.close();
}

/** `npm run demo`: the demo data on any database (MySQL included), once; a second run changes nothing. */
async function demoOnly(config: AppConfig): Promise<void> {
  const app = await createApi({ ...config, loadDemoData: true, loadDemoContent: true, portalDir: null }, { runWorker: false });
  await app.close();
  console.warn(`Demo data is loaded. Demo logins (password ${DEMO_PASSWORD}): ${ROLES.map((r) => DEMO_USERNAMES[r]).join(', ')}`);
}

async function worker(config: AppConfig): Promise<void> {
  const ctx = await NestFactory.createApplicationContext(WorkerAppModule.forRoot(config), { logger: createAppLogger(config) });
  await runMigrations(ctx.get(DataSource));
  ctx.enableShutdownHooks();
  await ctx.init();
  const { metricsPort, metricsToken } = config.observability;
  if (metricsPort !== null) {
    await startMetricsServer(ctx.get(Metrics), metricsPort, metricsToken);
    new Logger('Worker').log(`Metrics at http://0.0.0.0:${metricsPort}/metrics, liveness at /live`);
  }
  new Logger('Worker').log(`Worker started (${config.redisUrl ? 'Bull on Redis' : 'in-process queue on the database'})`);
}

async function serve(config: AppConfig, runWorker: boolean): Promise<void> {
  if (config.apiProcesses > 1 && cluster.isPrimary) return servePrimary(config, runWorker);
  const app = await createApi(config, { runWorker });
  // Idle keep-alive connections stay open longer than a reverse proxy's or load balancer's (nginx 60 s, cloud LBs
  // 60 s): otherwise the API may close a connection just as the proxy sends the next request on it (a reset).
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  shareMetricsWithPrimary(app.get(Metrics).registry);
  await app.listen(config.port, '0.0.0.0');
  followListenedPort(config, server);
  if (!cluster.isWorker) printBanner(config, runWorker, 1);
}

/**
 * Several API processes on one port (Node's cluster module: the primary accepts connections and hands them round
 * robin to its workers). The primary applies migrations and loads demo data once, before any worker starts, then
 * keeps API_PROCESSES workers running: one that dies is replaced. Nothing a request needs lives in one process
 * (sessions, limits, deadlines and jobs are in the database or Redis), so any worker can take any request.
 */
async function servePrimary(config: AppConfig, runWorker: boolean): Promise<void> {
  const logger = new Logger('Cluster');
  const prepared = await createApi(config, { runWorker: false });
  await prepared.close();
  serveAggregatedMetrics();

  let stopping = false;
  let listening = 0;
  let alive = 0;
  const recentDeaths: number[] = [];
  cluster.on('listening', () => {
    if (++listening === config.apiProcesses) printBanner(config, runWorker, config.apiProcesses);
  });
  const fork = () => {
    alive++;
    cluster.fork();
  };
  cluster.on('exit', (worker, code, signal) => {
    alive--;
    if (stopping) {
      if (alive === 0) process.exit(0);
      return;
    }
    const now = Date.now();
    recentDeaths.push(now);
    while (recentDeaths.length && recentDeaths[0] < now - 60_000) recentDeaths.shift();
    if (recentDeaths.length > 2 * config.apiProcesses) {
      logger.error(`API processes keep dying (${recentDeaths.length} in a minute, last: ${signal ?? `exit code ${code}`}); stopping`);
      process.exit(1);
    }
    logger.warn(`API process ${worker.process.pid} ended (${signal ?? `exit code ${code}`}); starting another`);
    fork();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      if (alive === 0) process.exit(0);
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
      setTimeout(() => process.exit(0), 20_000).unref();
    });
  }
  for (let i = 0; i < config.apiProcesses; i++) fork();
}

function printBanner(config: AppConfig, runWorker: boolean, processes: number): void {
  const url = `http://localhost:${config.port}`;
  const lines = [
    '',
    `  AI Trainer Certification is running (${config.database.kind === 'mysql' ? 'MySQL' : 'SQLite ' + config.database.file}; ` +
      `${runWorker ? 'API + worker' : 'API only'}${processes > 1 ? ` in ${processes} processes` : ''}; queue: ${config.redisUrl ? 'Bull on Redis' : 'in-process'})`,
    `  Portal:   ${url}/`,
    `  API:      ${url}/api   (docs: ${url}/api/docs, health: ${url}/api/health)`,
  ];
  if (!config.portalDir) lines.push('  (portal not built: run "npm run build" to serve it here)');
  if (config.loadDemoData) {
    lines.push('', `  Demo logins (password ${DEMO_PASSWORD}):`);
    for (const role of ROLES) lines.push(`    ${role.padEnd(16)} ${DEMO_USERNAMES[role]}`);
  }
  console.warn(lines.join('\n') + '\n');
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
  switch (process.argv[2] ?? 'all') {
    case 'all':
    case 'serve':
      return serve(config, true);
    case 'api':
      return serve(config, false);
    case 'worker':
      return worker(config);
    case 'migrate':
      return migrateOnly(config);
    case 'demo':
      return demoOnly(config);
    default:
      console.error(USAGE);
      process.exit(64);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

