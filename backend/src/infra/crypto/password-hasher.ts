import { Inject, Injectable } from '@nestjs/common';
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';

function scryptAsync(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/**
 * scrypt (memory-hard). The stored form carries its parameters, `scrypt$N$r$p$salt$hash`,
 * so the cost can be raised later without invalidating existing hashes.
 */
@Injectable()
export class PasswordHasher {
  private readonly cost: number;
  private dummyHash: Promise<string> | null = null;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.cost = config.auth.passwordHashCost;
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const N = this.cost, r = 8, p = 1;
    const key = await scryptAsync(password, salt, 32, { N, r, p, maxmem: 256 * N * r * p });
    return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const [scheme, n, r, p, salt, hash] = stored.split('$');
    if (scheme !== 'scrypt' || !hash) return false;
    const N = Number(n), R = Number(r), P = Number(p);
    const expected = Buffer.from(hash, 'base64');
    const key = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, { N, r: R, p: P, maxmem: 256 * N * R * P });
    return timingSafeEqual(key, expected);
  }

  /** Spends the same time as a real check, so an unknown username is not revealed by timing. */
  async verifyAgainstDummy(password: string): Promise<false> {
    this.dummyHash ??= this.hash('dummy-password-for-timing');
    await this.verify(password, await this.dummyHash);
    return false;
  }
}
