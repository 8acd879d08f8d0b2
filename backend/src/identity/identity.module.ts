import { createSecretKey } from 'node:crypto';
import { Module, type DynamicModule } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../infra/config/app-config';
import { FieldCipher } from '../infra/crypto/field-cipher';
import { PasswordHasher } from '../infra/crypto/password-hasher';
import { Organisation, OrganisationPartner } from './entities/organisation.entity';
import { Session } from './entities/session.entity';
import { User } from './entities/user.entity';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { LoginThrottle } from './login-throttle.service';
import { OrganisationsController } from './organisations.controller';
import { OrganisationsService } from './organisations.service';
import { TokenService } from './token.service';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({})
export class IdentityModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: IdentityModule,
      imports: [
        TypeOrmModule.forFeature([Organisation, OrganisationPartner, User, Session]),
        // A KeyObject, not the string: jsonwebtoken otherwise tries to parse the string as a PEM public key on every
        // verify (an exception each time, the largest cost of an authenticated request).
        JwtModule.register({ secret: createSecretKey(Buffer.from(config.auth.jwtSecret, 'utf8')), signOptions: { algorithm: 'HS256' } }),
      ],
      controllers: [AuthController, UsersController, OrganisationsController],
      providers: [AuthService, UsersService, OrganisationsService, TokenService, LoginThrottle, PasswordHasher, FieldCipher],
      exports: [TokenService, UsersService, PasswordHasher, FieldCipher],
    };
  }
}
