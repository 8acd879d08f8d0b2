import { Module } from '@nestjs/common';
import { JwksController } from './jwks.controller';
import { SigningKeyStore } from './keys/signing-key-store';
import { signingKeyStoreProvider } from './keys/signing-keys.provider';

/** Certificates (issue 7): so far the signing keys and the public JWKS; issuance, status lists and PDFs come next. */
@Module({
  controllers: [JwksController],
  providers: [signingKeyStoreProvider],
  exports: [SigningKeyStore],
})
export class CertificatesModule {}
