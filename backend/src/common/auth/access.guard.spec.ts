import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Principal } from './principal';
import { AccessGuard } from './access.guard';
import { AnyRole, Public, Roles } from './decorators';
import type { TokenService } from '../../identity/token.service';
import { DomainError } from '../errors/domain-error';

class Routes {
  @Public() open(): void { /* route body irrelevant */ }
  @Roles('platform_admin') adminOnly(): void { /* route body irrelevant */ }
  @AnyRole() anyone(): void { /* route body irrelevant */ }
  undeclared(): void { /* route body irrelevant */ }
}

const principal: Principal = { userId: 7, role: 'student', organisationId: 2, sessionId: 's' };
const tokens = { authenticate: async (t: string) => { if (t !== 'good') throw DomainError.unauthenticated(); return principal; } } as unknown as TokenService;

function context(handler: keyof Routes, authorization?: string): ExecutionContext {
  const req = { headers: authorization ? { authorization } : {}, method: 'GET', path: '/x' };
  return {
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
}

describe('AccessGuard', () => {
  const guard = new AccessGuard(new Reflector(), tokens);

  it('lets anyone reach a public route', async () => {
    await expect(guard.canActivate(context('open'))).resolves.toBe(true);
  });

  it('requires a valid bearer token elsewhere', async () => {
    await expect(guard.canActivate(context('anyone'))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(guard.canActivate(context('anyone', 'Bearer bad'))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(guard.canActivate(context('anyone', 'Bearer good'))).resolves.toBe(true);
  });

  it('refuses the wrong role', async () => {
    await expect(guard.canActivate(context('adminOnly', 'Bearer good'))).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('denies a route that declares no roles, even to a signed-in user', async () => {
    await expect(guard.canActivate(context('undeclared', 'Bearer good'))).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
