import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@aitrainer/contracts';
import { DomainError } from '../errors/domain-error';
import { PUBLIC_KEY, ROLES_KEY, type AuthedRequest } from './decorators';
import { TokenService } from '../../identity/token.service';

/**
 * Global guard: authentication from the bearer token (session checked in the database, so logout and
 * password changes take effect on the next request), then the route's roles. A route that declares
 * neither @Public nor @Roles is refused: deny by default.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const header = req.headers.authorization;
    if (!header?.startsWith('Bearer ')) throw DomainError.unauthenticated();
    req.principal = await this.tokens.authenticate(header.slice(7).trim());

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles) {
      this.logger.warn(`Route ${req.method} ${req.path} declares no roles: denied`);
      throw DomainError.forbidden();
    }
    if (!roles.includes(req.principal.role)) throw DomainError.forbidden('Your role may not do this');
    return true;
  }
}
