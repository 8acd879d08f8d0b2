import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Logger, RequestMethod, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import { DataSource } from 'typeorm';
import type { AppConfig } from './infra/config/app-config';
import { ApiModule } from './app.module';
import { ErrorFilter, toErrorResponse } from './common/errors/error.filter';
import { createValidationPipe } from './common/validation/validation.pipe';
import { JsonTooDeepError, jsonTooDeep } from './common/validation/json-limits';
import { runMigrations } from './infra/database/migrate';
import { loadDemoData } from './demo/demo-data';
import { loadDemoContent } from './demo/demo-content';
import { PasswordHasher } from './infra/crypto/password-hasher';
import { FieldCipher } from './infra/crypto/field-cipher';
import { mountQueueDashboard } from './grading/queue-dashboard';
import { securityHeaders, securityHeadersMiddleware } from './infra/http/security-headers';
import { AppLogger } from './infra/observability/app-logger';
import { httpObservability } from './infra/observability/http-observability';
import { Metrics } from './infra/observability/metrics';
import { installAnswerSaveFastPath } from './exams/answer-save.fast-path';
import { installAttemptStormFastPath } from './exams/attempt-storm.fast-path';
import { AttemptsService } from './exams/attempts.service';
import { TokenService } from './identity/token.service';
import { CertificateVerificationService } from './certificates/certificate-verification.service';
import { installVerifyFastPath } from './certificates/verify.fast-path';

/** The process's logger: JSON lines or readable ones (LOG_FORMAT), from LOG_LEVEL, tagged with the instance name. */
export function createAppLogger(config: AppConfig): AppLogger {
  const { logFormat, logLevel, instanceName } = config.observability;
  return new AppLogger({ format: logFormat, level: logLevel, instance: instanceName });
}

export interface CreateApiOptions {
  /** Default: createAppLogger(config). `false` silences logs, request lines included (tests). */
  logger?: LoggerService | false;
  /** Also run the job handlers in this process (the one-command start). */
  runWorker?: boolean;
}

/** Builds the API application (not yet listening): migrations applied, demo data loaded when configured. */
export async function createApi(config: AppConfig, options: CreateApiOptions = {}): Promise<NestExpressApplication> {
  const logger = options.logger ?? createAppLogger(config);
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(config, { runWorker: options.runWorker ?? false }), {
    bodyParser: false,
    logger,
  });
  if (config.trustProxy !== false) app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  // Security headers (helmet): CSP, frame-ancestors and X-Frame-Options, nosniff, HSTS, Referrer-Policy; first, so
  // every answer has them, errors and the portal's files included.
  const headers = securityHeaders(config.publicBaseUrl);
  app.use(securityHeadersMiddleware(headers));
  // Which process answered: lets tests and operators see requests spread over several API processes.
  app.use((_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('X-Instance', config.observability.instanceName);
    next();
  });
  // Request id (X-Request-Id) into logs and enqueued jobs; one log line and the latency histogram per request.
  app.use(httpObservability({ logger: logger === false ? null : logger, metrics: app.get(Metrics) }));

  // Our own JSON parser, so a malformed body becomes a 400 in our error shape before any route runs.
  // Depth is checked on the raw bytes first: nothing recursive (class-transformer, validators) sees a hostile nest.
  app.use(
    express.json({
      limit: '2mb',
      verify: (_req, _res, buf) => {
        if (jsonTooDeep(buf)) throw new JsonTooDeepError();
      },
    }),
  );
  app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!err) return next();
    const { status, body } = toErrorResponse(err, new Logger('Http'), req);
    res.status(status).json(body);
  });

  app.setGlobalPrefix('api', { exclude: [{ path: 'metrics', method: RequestMethod.GET }, { path: '.well-known/jwks.json', method: RequestMethod.GET }, ...ISSUER_DOCUMENT_PATHS.map((path) => ({ path, method: RequestMethod.GET }))] });
  app.useGlobalFilters(new ErrorFilter());
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('AI Trainer Certification API')
      .setDescription('人工智能训练师 training, exams and certificates. Errors are {statusCode, code, message, fields?}.')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });

  mountQueueDashboard(app);
  if (config.portalDir) servePortal(app, config.portalDir);

  // Served before Express for its usual case; everything unusual falls through to the full route.
  installAnswerSaveFastPath(app.getHttpServer(), {
    tokens: app.get(TokenService),
    attempts: app.get(AttemptsService),
    metrics: app.get(Metrics),
    logger: logger === false ? null : logger,
    instanceName: config.observability.instanceName,
    securityHeaders: headers.standard,
  });

  installAttemptStormFastPath(app.getHttpServer(), {
    tokens: app.get(TokenService),
    attempts: app.get(AttemptsService),
    trustProxy: app.getHttpAdapter().getInstance().get('trust proxy fn') as (addr: string, index: number) => boolean,
    metrics: app.get(Metrics),
    logger: logger === false ? null : logger,
    instanceName: config.observability.instanceName,
    headers: headers.standard,
  });

  installVerifyFastPath(app.getHttpServer(), {
    verification: app.get(CertificateVerificationService),
    trustProxy: app.getHttpAdapter().getInstance().get('trust proxy fn') as (addr: string, index: number) => boolean,
    metrics: app.get(Metrics),
    logger: logger === false ? null : logger,
    instanceName: config.observability.instanceName,
    baseHeaders: headers.standard,
  });

  const db = app.get(DataSource);
  await runMigrations(db);
  if (config.loadDemoData) {
    const loaded = await loadDemoData(db, app.get(PasswordHasher), app.get(FieldCipher));
    const content = config.loadDemoContent ? await loadDemoContent(app) : false;
    if (loaded || content) new Logger('Demo').log('Demo data loaded');
  }
  return app;
}

/** Issuer Profile, keys and achievements: at the URLs signed into certificates, outside the `api` prefix. */
const ISSUER_DOCUMENT_PATHS = ['issuers/:id', 'issuers/:id/keys/:kid', 'issuers/:id/achievements/:kind/:code/:level'];

/** The built Angular portal at `/`; any non-API GET that asks for HTML gets index.html (client-side routes). */
function servePortal(app: NestExpressApplication, dir: string): void {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return;
  app.useStaticAssets(dir, { index: false, maxAge: '1h' });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || req.path.startsWith('/api') || req.path === '/metrics' || req.path.startsWith('/.well-known/') || req.path.startsWith('/issuers/') || !req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}
