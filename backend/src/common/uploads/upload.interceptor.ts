import { mixin, type CallHandler, type ExecutionContext, type NestInterceptor, type Type } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer from 'multer';
import type { Observable } from 'rxjs';
import { mb, uploadInvalid, uploadTooLarge } from './upload-errors';

export interface UploadField {
  name: string;
  maxCount: number;
}

export interface UploadOptions {
  /** The largest file accepted, in bytes (per file). */
  maxFileBytes: number;
  /** Text fields sent beside the files (tags, format, options) and their largest value. */
  maxFields?: number;
  maxFieldBytes?: number;
}

/**
 * Reads a multipart/form-data upload as it streams in (busboy, through multer), holding each file in memory only
 * up to `maxFileBytes`: a larger file is refused with 413 naming its field and the limit, without reading the rest.
 * A request that is not multipart is a 400 naming `file`. Files land on `req.files` as `{ [field]: file[] }`.
 */
export function UploadInterceptor(fields: readonly UploadField[], options: UploadOptions): Type<NestInterceptor> {
  const fileCount = fields.reduce((n, f) => n + f.maxCount, 0);
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: options.maxFileBytes, files: fileCount, fields: options.maxFields ?? 20, fieldSize: options.maxFieldBytes ?? 64 * 1024, parts: fileCount + (options.maxFields ?? 20) },
  }).fields(fields.map((f) => ({ name: f.name, maxCount: f.maxCount })));
  const allowed = fields.map((f) => f.name).join(', ');
  // The largest body these files and fields can make: a request that declares more is refused before it is read.
  const maxFields = options.maxFields ?? 20;
  const maxFieldBytes = options.maxFieldBytes ?? 64 * 1024;
  const maxRequestBytes = fileCount * options.maxFileBytes + maxFields * maxFieldBytes + 64 * 1024;

  class Interceptor implements NestInterceptor {
    async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
      const http = context.switchToHttp();
      const req = http.getRequest<Request>();
      const res = http.getResponse<Response>();
      if (!req.is('multipart/form-data')) throw uploadInvalid('file', 'NOT_MULTIPART', 'must be sent as multipart/form-data');
      const declared = Number(req.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxRequestBytes) {
        // Nothing of it is parsed: the body is discarded as it arrives (so that the client reads the 413).
        req.resume();
        throw uploadTooLarge('file', 'FILE_TOO_LARGE', `is larger than the limit of ${mb(options.maxFileBytes)} MB`, { limitMb: mb(options.maxFileBytes), limitBytes: options.maxFileBytes });
      }
      await new Promise<void>((resolve, reject) => upload(req, res, (err: unknown) => (err ? reject(toUploadError(err, options, allowed)) : resolve())));
      return next.handle();
    }
  }
  return mixin(Interceptor);
}

function toUploadError(err: unknown, options: UploadOptions, allowed: string): unknown {
  if (!(err instanceof multer.MulterError)) {
    // busboy: a malformed or truncated body
    return uploadInvalid('file', 'NOT_MULTIPART', `is not a readable multipart body (${err instanceof Error ? err.message : String(err)})`);
  }
  const field = err.field ?? 'file';
  switch (err.code) {
    case 'LIMIT_FILE_SIZE':
      return uploadTooLarge(field, 'FILE_TOO_LARGE', `is larger than the limit of ${mb(options.maxFileBytes)} MB`, { limitMb: mb(options.maxFileBytes), limitBytes: options.maxFileBytes });
    case 'LIMIT_FIELD_VALUE':
      return uploadTooLarge(field, 'FILE_TOO_LARGE', `is longer than the limit of ${options.maxFieldBytes ?? 64 * 1024} bytes`, { limitBytes: options.maxFieldBytes ?? 64 * 1024 });
    case 'LIMIT_UNEXPECTED_FILE':
    case 'LIMIT_FILE_COUNT':
      return uploadInvalid(field, 'UNEXPECTED_FILE', `is not expected here, or sent too many times (files go in: ${allowed})`, { allowed });
    default:
      return uploadInvalid(field, 'NOT_MULTIPART', `cannot be read: ${err.message}`);
  }
}

/** What multer (memory storage) hands a route for one uploaded file. */
export interface UploadedBytes {
  buffer: Buffer;
  originalname: string;
  mimetype: string;
  size: number;
}
