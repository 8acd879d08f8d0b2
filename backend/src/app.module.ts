import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from './infra/config/app-config';
import { ConfigModule } from './infra/config/config.module';
import { dataSourceOptions } from './infra/database/data-source-options';
import { RedisModule } from './infra/redis/redis.module';
import { AccessGuard } from './common/auth/access.guard';
import { AuditModule } from './audit/audit.module';
import { IdentityModule } from './identity/identity.module';
import { CoursesModule } from './courses/courses.module';
import { HealthController } from './health/health.controller';

/** The API process: HTTP controllers of every context, behind the deny-by-default access guard. */
@Module({})
export class ApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    const identity = IdentityModule.forRoot(config);
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot(dataSourceOptions(config)),
        RedisModule.forRoot(config),
        AuditModule,
        identity,
        CoursesModule,
      ],
      controllers: [HealthController],
      providers: [{ provide: APP_GUARD, useClass: AccessGuard }],
    };
  }
}
