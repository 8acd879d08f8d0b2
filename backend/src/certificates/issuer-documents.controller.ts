import { Controller, Get, Param, ParseIntPipe, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { achievementFor, isSkillLevel, jwkThumbprint, multikeyFor, OB3_CONTEXT, VC_CONTEXT_V2, AI_TRAINER_OCCUPATION, type CertificateKind } from '@aitrainer/certificates';
import { Public } from '../common/auth/decorators';
import { DomainError } from '../common/errors/domain-error';
import { CertificateIssuanceService } from './certificate-issuance.service';
import { SigningKeyStore } from './keys/signing-key-store';

/** W3C Controlled Identifiers 1.0: the terms verificationMethod, assertionMethod and Multikey of the Profile. */
export const CID_CONTEXT_V1 = 'https://www.w3.org/ns/cid/v1';

/**
 * What a certificate points to, at the URLs it carries (outside the `api` prefix, no login, cacheable):
 * - `/issuers/{id}`: the issuer's OB 3.0 Profile, with its Ed25519 keys as Multikey verification methods authorised
 *   for `assertionMethod` (the embedded proofs' `verificationMethod` is `<issuer>#<thumbprint>`) and its JWKS;
 * - `/issuers/{id}/keys/{thumbprint}`: one public key as a JWK (a VC-JWT's `kid`);
 * - `/issuers/{id}/achievements/{kind}/{occupation}/{level}`: the Achievement.
 */
@ApiTags('certificates')
@Controller('issuers')
export class IssuerDocumentsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: SigningKeyStore,
    private readonly issuance: CertificateIssuanceService,
  ) {}

  @Get(':id') @Public()
  async profile(@Param('id', ParseIntPipe) id: number, @Res() res: Response): Promise<void> {
    const org = await this.issuer(id);
    const issuerId = this.issuance.issuerUri(id);
    const rows = await this.keys.list(id);
    const methods = [];
    for (const row of rows) if (row.publicJwk.kty === 'OKP') methods.push(await multikeyFor(issuerId, row.publicJwk));
    const profile = {
      '@context': [VC_CONTEXT_V2, OB3_CONTEXT, CID_CONTEXT_V1],
      id: issuerId,
      type: ['Profile'],
      name: org.name,
      url: this.issuance.publicBaseUrl(),
      ...(org.credit_code ? { otherIdentifier: [{ type: 'IdentifierEntry', identifier: org.credit_code, identifierType: 'identifier' }] } : {}),
      verificationMethod: methods.map(({ '@context': _c, ...m }) => m),
      assertionMethod: methods.map((m) => m['id']),
      publicKeys: { jwks: `${this.issuance.publicBaseUrl()}/.well-known/jwks.json`, keys: rows.map((r) => this.keys.published(r)) },
    };
    send(res, 'application/ld+json', profile);
  }

  @Get(':id/keys/:kid') @Public()
  async key(@Param('id', ParseIntPipe) id: number, @Param('kid') kid: string, @Res() res: Response): Promise<void> {
    const row = (await this.keys.list(id)).find((r) => r.kid === kid && jwkThumbprint(r.publicJwk) === kid);
    if (!row) throw DomainError.notFound('Key');
    send(res, 'application/jwk+json', this.keys.published(row));
  }

  @Get(':id/achievements/:kind/:code/:level') @Public()
  async achievement(@Param('id', ParseIntPipe) id: number, @Param('kind') kind: string, @Param('code') code: string, @Param('level') level: string, @Res() res: Response): Promise<void> {
    await this.issuer(id);
    const lv = Number(level);
    if ((kind !== 'skill_level' && kind !== 'enterprise') || code !== AI_TRAINER_OCCUPATION.code || !isSkillLevel(lv)) throw DomainError.notFound('Achievement');
    send(res, 'application/ld+json', { '@context': [VC_CONTEXT_V2, OB3_CONTEXT], ...achievementFor(this.issuance.issuerUri(id), kind as CertificateKind, lv) });
  }

  private async issuer(id: number): Promise<{ name: string; credit_code: string | null }> {
    const org = ((await this.dataSource.query('SELECT name, credit_code FROM organisations WHERE id = ?', [id])) as { name: string; credit_code: string | null }[])[0];
    const keyed = org && (await this.keys.list(id)).length > 0;
    if (!org || !keyed) throw DomainError.notFound('Issuer');
    return org;
  }
}

function send(res: Response, type: string, body: unknown): void {
  res.setHeader('Content-Type', `${type}; charset=utf-8`);
  res.setHeader('Cache-Control', 'public, max-age=300');
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.end(JSON.stringify(body));
}
