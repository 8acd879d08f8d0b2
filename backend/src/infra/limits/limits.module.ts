import { Global, Module } from '@nestjs/common';
import { RateLimiters } from './rate-limiters';

/** Shared limit stores (Redis or the database) for every context. */
@Global()
@Module({ providers: [RateLimiters], exports: [RateLimiters] })
export class LimitsModule {}
