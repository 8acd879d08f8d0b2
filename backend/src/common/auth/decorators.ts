import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { ROLES, type Role } from '@aitrainer/contracts';
import type { Principal, RequestContext } from './principal';

export const PUBLIC_KEY = 'auth:public';
export const ROLES_KEY = 'auth:roles';

/** The route needs no sign-in. Every other route must name its roles: the guard denies by default. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Only these roles may call the route. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** Any signed-in user; the service still checks ownership. */
export const AnyRole = () => SetMetadata(ROLES_KEY, ROLES);

export type AuthedRequest = Request & { principal?: Principal };

export const Ctx = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestContext => {
  const req = ctx.switchToHttp().getRequest<AuthedRequest>();
  if (!req.principal) throw new Error('Ctx used on a route without authentication');
  return { principal: req.principal, ip: req.ip ?? null };
});

export const ClientIp = createParamDecorator((_: unknown, ctx: ExecutionContext): string | null => {
  return ctx.switchToHttp().getRequest<Request>().ip ?? null;
});
