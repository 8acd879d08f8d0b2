import { Module } from '@nestjs/common';
import { FieldCipher } from '../infra/crypto/field-cipher';
import { BureauController } from './bureau.controller';
import { BureauService } from './bureau.service';
import { CertificateIssuanceService } from './certificate-issuance.service';
import { CertificateVerificationService } from './certificate-verification.service';
import { CertificatesController } from './certificates.controller';
import { ExamResultCertificates } from './exam-result-certificates';
import { IssuerSettingsService } from './issuer-settings.service';
import { IssuerDocumentsController } from './issuer-documents.controller';
import { JwksController } from './jwks.controller';
import { SigningKeyStore } from './keys/signing-key-store';
import { signingKeyStoreProvider } from './keys/signing-keys.provider';

/**
 * Certificates (issue 7): signing keys and the public JWKS, issuer settings, issuance of the pair (also as the exams
 * context's ExamResultPublished port: ExamResultCertificates), revocation/suspension and status lists, public
 * verification and PDFs, bureau API keys, bulk verification and the roster export.
 */
@Module({
  controllers: [JwksController, IssuerDocumentsController, CertificatesController, BureauController],
  providers: [signingKeyStoreProvider, IssuerSettingsService, CertificateIssuanceService, CertificateVerificationService, ExamResultCertificates, BureauService, FieldCipher],
  exports: [SigningKeyStore, CertificateIssuanceService, ExamResultCertificates],
})
export class CertificatesModule {}
