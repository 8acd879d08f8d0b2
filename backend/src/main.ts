import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DEMO_PASSWORD, DEMO_USERNAMES, ROLES } from '@aitrainer/contracts';
import { ConfigError, loadConfig, type AppConfig } from './infra/config/app-config';
import { dataSourceOptions } from './infra/database/data-source-options';
import { runMigrations } from './infra/database/migrate';
import { createApi } from './bootstrap';

const USAGE = 'usage: main.cjs [serve|migrate]';

async function migrateOnly(config: AppConfig): Promise<void> {
  @Module({ imports: [TypeOrmModule.forRoot(dataSourceOptions(config))] })
  class MigrateModule {}
  const ctx = await NestFactory.createApplicationContext(MigrateModule, { logger: ['error', 'warn', 'log'] });
  const applied = await runMigrations(ctx.get(DataSource));
  new Logger('Migrations').log(applied.length ? `${applied.length} migration(s) applied` : 'Schema is up to date');
  await ctx.close();
}

async function serve(config: AppConfig): Promise<void> {
  const app = await createApi(config);
  await app.listen(config.port, '0.0.0.0');
  const url = `http://localhost:${config.port}`;
  const lines = [
    '',
    `  AI Trainer Certification is running (${config.database.kind === 'mysql' ? 'MySQL' : 'SQLite ' + config.database.file})`,
    `  Portal:   ${url}/`,
    `  API:      ${url}/api   (docs: ${url}/api/docs, health: ${url}/api/health)`,
  ];
  if (!config.portalDir) lines.push('  (portal not built: run "npm run build" to serve it here)');
  if (config.loadDemoData) {
    lines.push('', `  Demo logins (password ${DEMO_PASSWORD}):`);
    for (const role of ROLES) lines.push(`    ${role.padEnd(16)} ${DEMO_USERNAMES[role]}`);
  }
  // eslint-disable-next-line no-console
  console.log(lines.join('\n') + '\n');
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
  const command = process.argv[2] ?? 'serve';
  if (command === 'migrate') return migrateOnly(config);
  if (command === 'serve') return serve(config);
  console.error(USAGE);
  process.exit(64);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
