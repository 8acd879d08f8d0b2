import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * The portal's Content-Security-Policy. The built Angular app runs with no inline script (critical-CSS inlining
 * is off in frontend/project.json, since it adds an inline `onload` handler); component styles are injected as
 * <style> elements at run time, hence 'unsafe-inline' for styles only. Media and downloads use blob: URLs.
 */
export function portalCspDirectives(https: boolean): Record<string, string[] | null> {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'media-src': ["'self'", 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'worker-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    // Only where the site is served over HTTPS: on plain http (the embedded start) it would break every request.
    'upgrade-insecure-requests': https ? [] : null,
  };
}

function options(https: boolean, directives: Record<string, string[] | null>): HelmetOptions {
  return {
    contentSecurityPolicy: { useDefaults: false, directives },
    // Browsers ignore HSTS received over plain http; behind a TLS-terminating proxy it is what keeps them on https.
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    xFrameOptions: { action: 'deny' },
    // The public verification API and the JWKS are read by other origins through CORS-free server calls or CORS.
    crossOriginResourcePolicy: { policy: 'same-site' },
  };
}

/** The headers a helmet instance sets, collected once: applied with plain setHeader (and by the answer-save fast path). */
function collect(middleware: ReturnType<typeof helmet>): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string | number) => {
      headers[name] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name];
    },
  } as unknown as ServerResponse;
  middleware({} as IncomingMessage, res, () => undefined);
  return headers;
}

export interface SecurityHeaders {
  /** Every API and portal response. */
  standard: Record<string, string>;
  /** Swagger UI (/api/docs) and the Bull dashboard: third-party pages with inline scripts and styles. */
  thirdPartyPages: Record<string, string>;
}

export function securityHeaders(publicBaseUrl: string): SecurityHeaders {
  const https = publicBaseUrl.startsWith('https:');
  const standard = collect(helmet(options(https, portalCspDirectives(https))));
  const relaxed = { ...portalCspDirectives(https), 'script-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:', 'https:'] };
  delete (relaxed as Record<string, unknown>)['script-src-attr'];
  const thirdPartyPages = collect(helmet(options(https, relaxed)));
  return { standard, thirdPartyPages };
}

const THIRD_PARTY = [/^\/api\/docs(\/|$|-json)/, /^\/api\/admin\/bull-board(\/|$)/];

/** Express middleware: the standard set, or the relaxed one on the two third-party pages. */
export function securityHeadersMiddleware(headers: SecurityHeaders) {
  return (req: IncomingMessage & { path?: string }, res: ServerResponse, next: () => void) => {
    const path = req.path ?? (req.url ?? '').split('?')[0] ?? '';
    const set = THIRD_PARTY.some((re) => re.test(path)) ? headers.thirdPartyPages : headers.standard;
    for (const name in set) res.setHeader(name, set[name]!);
    next();
  };
}
