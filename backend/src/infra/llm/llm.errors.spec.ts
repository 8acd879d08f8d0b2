import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { LlmPermanentError, LlmTransientError, toLlmError } from './llm.errors';

const statusError = (status: number, headers: Record<string, string> = {}) =>
  APIError.generate(status, { error: { message: 'scripted' } }, undefined, new Headers(headers));

describe('toLlmError', () => {
  it.each([
    [429, 'rate_limited'],
    [500, 'server_error'],
    [503, 'server_error'],
    [408, 'server_error'],
  ])('%i is transient (%s)', (status, code) => {
    const err = toLlmError(statusError(status));
    expect(err).toBeInstanceOf(LlmTransientError);
    expect(err).toMatchObject({ code, status, transient: true });
  });

  it.each([
    [400, 'invalid_request'],
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [404, 'model_not_found'],
    [413, 'request_too_large'],
    [422, 'invalid_request'],
  ])('%i is permanent (%s)', (status, code) => {
    const err = toLlmError(statusError(status));
    expect(err).toBeInstanceOf(LlmPermanentError);
    expect(err).toMatchObject({ code, status, transient: false });
  });

  it('keeps the Retry-After of a 429, in seconds, milliseconds or as a date', () => {
    expect(toLlmError(statusError(429, { 'retry-after': '2' }))).toMatchObject({ retryAfterMs: 2000 });
    expect(toLlmError(statusError(429, { 'retry-after-ms': '250', 'retry-after': '2' }))).toMatchObject({ retryAfterMs: 250 });
    const later = new Date(Date.now() + 60_000).toUTCString();
    expect((toLlmError(statusError(429, { 'retry-after': later })) as LlmTransientError).retryAfterMs).toBeGreaterThan(55_000);
  });

  it('maps timeouts and connection failures to transient errors', () => {
    expect(toLlmError(new APIConnectionTimeoutError())).toMatchObject({ code: 'timeout', transient: true });
    expect(toLlmError(new APIConnectionError({ message: 'refused' }))).toMatchObject({ code: 'connection', transient: true });
  });

  it('leaves errors that are not the provider\'s alone, so bugs are not retried as hiccups', () => {
    const bug = new TypeError('x is undefined');
    expect(toLlmError(bug)).toBe(bug);
  });
});
