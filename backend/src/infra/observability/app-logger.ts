import type { LoggerService } from '@nestjs/common';
import type { LogFormat, LogLevel } from '../config/app-config';
import { currentRequestContext } from './request-context';

const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };
/** Nest's start-up chatter (one line per module and route): only at debug. */
const QUIET_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);

export interface AppLoggerOptions {
  format: LogFormat;
  level: LogLevel;
  instance: string;
  /** Where lines go; stdout by default (one line per entry). */
  write?: (line: string) => void;
}

/** One HTTP request, as the request log line records it. */
export interface RequestLogEntry {
  requestId: string;
  method: string;
  route: string;
  path: string;
  status: number;
  durationMs: number;
  userId: number | null;
}

/**
 * The Nest LoggerService of every process: JSON lines (LOG_FORMAT=json; time, level, instance, context, msg,
 * the request id and job of the current async context) or readable lines. Nest's own loggers and
 * `new Logger(context)` in the code all end up here.
 */
export class AppLogger implements LoggerService {
  private readonly write: (line: string) => void;

  constructor(private readonly options: AppLoggerOptions) {
    this.write = options.write ?? ((line) => process.stdout.write(line + '\n'));
  }

  log(message: unknown, ...params: unknown[]): void {
    this.entry('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.entry('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.entry('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.entry('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.entry('debug', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.entry('error', message, params);
  }

  /** The one line per HTTP request. */
  request(entry: RequestLogEntry): void {
    const level: LogLevel = entry.status >= 500 ? 'error' : 'info';
    this.emit(level, 'Http', `${entry.method} ${entry.route} ${entry.status} ${entry.durationMs}ms`, { ...entry });
  }

  isEnabled(level: LogLevel): boolean {
    return RANK[level] <= RANK[this.options.level];
  }

  private entry(level: LogLevel, message: unknown, params: unknown[]): void {
    const rest = [...params];
    // Nest passes the context last, and for errors the stack before it.
    const context = rest.length && typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const stack = level === 'error' && typeof rest[0] === 'string' && /\n\s+at /.test(rest[0] as string) ? (rest.shift() as string) : undefined;
    const effective = context && QUIET_CONTEXTS.has(context) && level === 'info' ? 'debug' : level;
    const fields: Record<string, unknown> = {};
    let text: string;
    if (message instanceof Error) {
      text = message.message;
      fields['stack'] = message.stack;
    } else if (message !== null && typeof message === 'object') {
      Object.assign(fields, message);
      text = typeof (message as { msg?: unknown }).msg === 'string' ? (message as { msg: string }).msg : '';
      delete fields['msg'];
    } else text = String(message);
    if (stack) fields['stack'] = stack;
    this.emit(effective, context, text, fields);
  }

  private emit(level: LogLevel, context: string | undefined, msg: string, fields: Record<string, unknown>): void {
    if (!this.isEnabled(level)) return;
    const ctx = currentRequestContext();
    const line: Record<string, unknown> = {
      time: new Date().toISOString(),
      level,
      instance: this.options.instance,
      ...(context && { context }),
      msg,
      ...(ctx && { requestId: ctx.requestId }),
      ...(ctx?.job && { job: ctx.job.name, jobId: ctx.job.id }),
      ...fields,
    };
    if (this.options.format === 'json') {
      this.write(JSON.stringify(line));
      return;
    }
    const tag = [ctx?.requestId && `req=${ctx.requestId}`, ctx?.job && `job=${ctx.job.name}#${ctx.job.id}`].filter(Boolean).join(' ');
    const extra = fields['stack'] ? `\n${String(fields['stack'])}` : '';
    this.write(`${line['time']} ${level.toUpperCase().padEnd(5)} ${context ? `[${context}] ` : ''}${msg}${tag ? `  (${tag})` : ''}${extra}`);
  }
}
