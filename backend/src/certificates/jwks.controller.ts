import { Controller, Get, Header } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Jwks } from '@aitrainer/certificates';
import { Public } from '../common/auth/decorators';
import { SigningKeyStore } from './keys/signing-key-store';

/**
 * The issuers' public keys at `/.well-known/jwks.json` (outside the `api` prefix, see bootstrap): active and retired
 * keys, public halves only, so credentials signed before a rotation keep verifying. Bureaus may save it for offline use.
 */
@ApiTags('certificates')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: SigningKeyStore) {}

  @Get('jwks.json')
  @Public()
  @Header('Cache-Control', 'public, max-age=300')
  jwks(): Promise<Jwks> {
    return this.keys.jwks();
  }
}
