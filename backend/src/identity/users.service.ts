import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { FindOptionsWhere, Repository } from 'typeorm';
import { ROLE_ORGANISATION_KIND, type FullIdNumberResponse, type Page, type UserView } from '@aitrainer/contracts';
import { maskIdNumber, validateIdDocument } from '@aitrainer/domain';
import { DomainError } from '../common/errors/domain-error';
import type { RequestContext } from '../common/auth/principal';
import { AuditService } from '../audit/audit.service';
import { FieldCipher } from '../infra/crypto/field-cipher';
import { PasswordHasher } from '../infra/crypto/password-hasher';
import { isUniqueViolation } from '../infra/database/unique-violation';
import { Organisation } from './entities/organisation.entity';
import { User } from './entities/user.entity';
import type { CreateUserDto, ListUsersQuery } from './dto/user.dto';
import { canReadFullIdNumber, canReadUser, creatableRoles } from './access-policy';
import { toUserView } from './user-view';
import { TokenService } from './token.service';
import { LoginThrottle } from './login-throttle.service';

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(Organisation) private readonly organisations: Repository<Organisation>,
    private readonly hasher: PasswordHasher,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditService,
    private readonly tokens: TokenService,
    private readonly throttle: LoginThrottle,
  ) {}

  findById(id: number): Promise<User | null> {
    return this.users.findOne({ where: { id }, relations: { organisation: true } });
  }

  findByUsername(username: string): Promise<User | null> {
    return this.users.findOne({ where: { username: username.trim().toLowerCase() }, relations: { organisation: true } });
  }

  async me({ principal }: RequestContext): Promise<UserView> {
    const user = await this.findById(principal.userId);
    if (!user) throw DomainError.notFound('User');
    return toUserView(user);
  }

  async get({ principal }: RequestContext, id: number): Promise<UserView> {
    const user = await this.findById(id);
    // Not found and not allowed answer alike, so account ids cannot be probed.
    if (!user || !canReadUser(principal, user)) throw DomainError.notFound('User');
    return toUserView(user);
  }

  async list({ principal }: RequestContext, q: ListUsersQuery): Promise<Page<UserView>> {
    const where: FindOptionsWhere<User> = {};
    if (principal.role === 'platform_admin') {
      if (q.organisationId) where.organisationId = q.organisationId;
    } else {
      if (principal.organisationId === null) return { items: [], total: 0 };
      if (q.organisationId && q.organisationId !== principal.organisationId) throw DomainError.forbidden('You may only list users of your own organisation');
      where.organisationId = principal.organisationId;
    }
    if (principal.role === 'instructor') {
      if (q.role && q.role !== 'student') throw DomainError.forbidden('Instructors may only list students');
      where.role = 'student';
    } else if (q.role) where.role = q.role;
    const pageSize = q.pageSize ?? 50;
    const page = q.page ?? 1;
    // Newest first: an admin who has just added or imported people finds them on the first page.
    const [rows, total] = await this.users.findAndCount({ where, relations: { organisation: true }, order: { id: 'DESC' }, skip: (page - 1) * pageSize, take: pageSize });
    return { items: rows.map(toUserView), total };
  }

  async create(ctx: RequestContext, dto: CreateUserDto): Promise<UserView> {
    const { principal } = ctx;
    if (!creatableRoles(principal).includes(dto.role)) throw DomainError.forbidden(`Your role may not create ${dto.role} accounts`);

    let organisationId: number | null;
    if (principal.role === 'platform_admin') organisationId = dto.organisationId ?? null;
    else {
      if (dto.organisationId !== undefined && dto.organisationId !== principal.organisationId) {
        throw DomainError.forbidden('You may only create accounts in your own organisation');
      }
      organisationId = principal.organisationId;
    }
    const requiredKind = ROLE_ORGANISATION_KIND[dto.role];
    let organisation: Organisation | null = null;
    if (dto.role === 'platform_admin') {
      if (organisationId !== null) throw DomainError.validation('organisationId', 'ADMIN_WITHOUT_ORGANISATION');
    } else {
      if (organisationId === null) throw DomainError.validation('organisationId', 'REQUIRED_FOR_ROLE', { role: dto.role });
      organisation = await this.organisations.findOneBy({ id: organisationId });
      if (!organisation) throw DomainError.validation('organisationId', 'ORGANISATION_NOT_FOUND');
      const allowed = requiredKind ? [requiredKind] : ['school', 'issuer'];
      if (!allowed.includes(organisation.kind)) {
        throw DomainError.validation('organisationId', 'ROLE_ORGANISATION_KIND', { role: dto.role, allowed: allowed.join(' or '), kind: organisation.kind });
      }
    }

    const username = dto.username.trim().toLowerCase();
    if (await this.users.existsBy({ username })) throw DomainError.conflict('username', 'ALREADY_USED');

    let idFields: Pick<User, 'idDocumentType' | 'idNumberEnc' | 'idNumberIndex' | 'idNumberMasked'> = {
      idDocumentType: null, idNumberEnc: null, idNumberIndex: null, idNumberMasked: null,
    };
    if (dto.idDocumentType && dto.idNumber) {
      const checked = validateIdDocument(dto.idDocumentType, dto.idNumber);
      if (!checked.valid) throw DomainError.validation('idNumber', { code: checked.code, params: checked.params, problem: checked.reason });
      const index = this.cipher.blindIndex(checked.normalized);
      if (await this.users.existsBy({ idDocumentType: dto.idDocumentType, idNumberIndex: index })) {
        throw DomainError.conflict('idNumber', 'ID_NUMBER_TAKEN');
      }
      idFields = {
        idDocumentType: dto.idDocumentType,
        idNumberEnc: this.cipher.encrypt(checked.normalized),
        idNumberIndex: index,
        idNumberMasked: maskIdNumber(checked.normalized),
      };
    }

    const now = new Date();
    let user: User;
    try {
      user = await this.users.save(
        this.users.create({
          organisationId,
          username,
          passwordHash: await this.hasher.hash(dto.password),
          realName: dto.realName.trim(),
          role: dto.role,
          phone: dto.phone?.trim() ?? null,
          ...idFields,
          createdAt: now,
          passwordChangedAt: now,
        }),
      );
    } catch (e) {
      if (isUniqueViolation(e)) throw DomainError.conflict('username', 'USERNAME_OR_ID_TAKEN');
      throw e;
    }
    user.organisation = organisation;
    await this.audit.record({ actorId: principal.userId, action: 'user.created', subjectType: 'user', subjectId: user.id, ip: ctx.ip, detail: { role: user.role, organisationId } });
    return toUserView(user);
  }

  async fullIdNumber(ctx: RequestContext, id: number): Promise<FullIdNumberResponse> {
    const user = await this.users.findOneBy({ id });
    if (!user || !canReadUser(ctx.principal, user)) throw DomainError.notFound('User');
    if (!canReadFullIdNumber(ctx.principal, user)) throw DomainError.forbidden('Your role may not see full ID numbers');
    if (!user.idNumberEnc || !user.idDocumentType) throw DomainError.notFound('ID number');
    await this.audit.record({ actorId: ctx.principal.userId, action: 'id_number.viewed', subjectType: 'user', subjectId: user.id, ip: ctx.ip });
    return { userId: user.id, idDocumentType: user.idDocumentType, idNumber: this.cipher.decrypt(user.idNumberEnc) };
  }

  /**
   * A target an administrator may manage: platform admins any account but their own; an organisation's admin the
   * accounts of their organisation in the roles they may create (their staff and, for a school, its students).
   */
  private async managed(ctx: RequestContext, id: number): Promise<User> {
    const p = ctx.principal;
    const user = await this.findById(id);
    if (!user || !canReadUser(p, user)) throw DomainError.notFound('User');
    if (user.id === p.userId) throw DomainError.forbidden('You may not do this to your own account');
    if (p.role !== 'platform_admin' && (user.organisationId !== p.organisationId || !creatableRoles(p).includes(user.role))) throw DomainError.forbidden();
    return user;
  }

  /** An administrator sets a new password (the person changes it after signing in); every session of the account ends. */
  async resetPassword(ctx: RequestContext, id: number, password: string): Promise<UserView> {
    const user = await this.managed(ctx, id);
    await this.setPassword(user, password);
    await this.tokens.revokeAllOf(user.id, 'password_reset');
    await this.audit.record({ actorId: ctx.principal.userId, action: 'user.password_reset', subjectType: 'user', subjectId: user.id, ip: ctx.ip });
    return toUserView(user);
  }

  /** Disables (every session ends at once) or enables an account; audited. */
  async setDisabled(ctx: RequestContext, id: number, disabled: boolean): Promise<UserView> {
    const user = await this.managed(ctx, id);
    user.disabledAt = disabled ? new Date() : null;
    await this.users.update({ id: user.id }, { disabledAt: user.disabledAt });
    if (disabled) await this.tokens.revokeAllOf(user.id, 'disabled');
    await this.audit.record({ actorId: ctx.principal.userId, action: disabled ? 'user.disabled' : 'user.enabled', subjectType: 'user', subjectId: user.id, ip: ctx.ip });
    return toUserView(user);
  }

  /** Clears the account's sign-in throttling (someone else's failures made the owner wait); audited. */
  async unlockSignIn(ctx: RequestContext, id: number): Promise<UserView> {
    const user = await this.managed(ctx, id);
    await this.throttle.unlock(user.username);
    await this.audit.record({ actorId: ctx.principal.userId, action: 'user.sign_in_unlocked', subjectType: 'user', subjectId: user.id, ip: ctx.ip });
    return toUserView(user);
  }

  async setPassword(user: User, newPassword: string): Promise<void> {
    await this.users.update({ id: user.id }, { passwordHash: await this.hasher.hash(newPassword), passwordChangedAt: new Date() });
  }
}
