import { Module, type DynamicModule } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../infra/config/app-config';
import { FieldCipher } from '../infra/crypto/field-cipher';
import { PasswordHasher } from '../infra/crypto/password-hasher';
import { Organisation } from './entities/organisation.entity';
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
        TypeOrmModule.forFeature([Organisation, User, Session]),
        JwtModule.register({ secret: config.auth.jwtSecret, signOptions: { algorithm: 'HS256' } }),
      ],
      controllers: [AuthController, UsersController, OrganisationsController],
      providers: [AuthService, UsersService, OrganisationsService, TokenService, LoginThrottle, PasswordHasher, FieldCipher],
      exports: [TokenService, UsersService, PasswordHasher, FieldCipher],
    };
  }
}
