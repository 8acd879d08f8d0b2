import { Body, Controller, Get, Header, HttpCode, Param, ParseIntPipe, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ClientIp, Ctx, Public, Roles } from '../common/auth/decorators';
import type { RequestContext } from '../common/auth/principal';
import { DomainError } from '../common/errors/domain-error';
import { CertificateIssuanceService, type CertificateRecord, type IssuedPair } from './certificate-issuance.service';
import { CertificateVerificationService, type CredentialVerificationAnswer, type VerificationAnswer } from './certificate-verification.service';
import { CertificateSearchQuery, CertificateStatusDto, IssuerSettingsDto, ReissueDto, VerifyCredentialDto, VerifyDto } from './dto/certificates.dto';
import { IssuerSettingsService, type IssuerSettings } from './issuer-settings.service';
import { SigningKeyStore } from './keys/signing-key-store';

/** A certificate as the issuer and holder see it (the VC-JWT included; never the full ID number). */
function view(c: CertificateRecord) {
  const { jwt, ...rest } = c;
  return { ...rest, credential: jwt };
}

@ApiTags('certificates')
@Controller('v1')
export class CertificatesController {
  constructor(
    private readonly issuance: CertificateIssuanceService,
    private readonly verification: CertificateVerificationService,
    private readonly settings: IssuerSettingsService,
    private readonly keys: SigningKeyStore,
  ) {}

  @Get('certificates/issuer-settings') @Roles('org_admin') @ApiBearerAuth()
  async getSettings(@Ctx() ctx: RequestContext): Promise<IssuerSettings | null> {
    return ctx.principal.organisationId === null ? null : this.settings.get(ctx.principal.organisationId);
  }

  @Put('certificates/issuer-settings') @Roles('org_admin') @ApiBearerAuth()
  setSettings(@Ctx() ctx: RequestContext, @Body() dto: IssuerSettingsDto): Promise<IssuerSettings> {
    return this.settings.set(ctx, dto);
  }

  /** Creates the issuer's first signing key or rotates it (the old one stays in the JWKS). */
  @Post('certificates/signing-keys/rotate') @Roles('org_admin') @HttpCode(200) @ApiBearerAuth()
  async rotate(@Ctx() ctx: RequestContext): Promise<{ kid: string }> {
    if (ctx.principal.organisationId === null) throw DomainError.forbidden();
    const row = await this.keys.rotate(ctx.principal.organisationId);
    return { kid: row.kid };
  }

  /** Batch issuance for a session's published passes; idempotent, so calling again resumes after a crash. */
  @Post('certificates/sessions/:sessionId/issue') @Roles('org_admin') @HttpCode(200) @ApiBearerAuth()
  issueSession(@Ctx() ctx: RequestContext, @Param('sessionId', ParseIntPipe) sessionId: number) {
    return this.issuance.issueSession(ctx, sessionId);
  }

  @Get('certificates/sessions/:sessionId/progress') @Roles('org_admin') @ApiBearerAuth()
  sessionProgress(@Ctx() ctx: RequestContext, @Param('sessionId', ParseIntPipe) sessionId: number) {
    return this.issuance.sessionProgress(ctx, sessionId);
  }

  /** A holder's own certificates (for the PDF downloads on the student page). */
  @Get('my/certificates') @Roles('student') @ApiBearerAuth()
  async mine(@Ctx() ctx: RequestContext) {
    return (await this.issuance.holderCertificates(ctx)).map(view);
  }

  /** The holder's certificate as an OB 3.0 credential with an embedded proof ("save to wallet"). */
  @Get('my/certificates/:id/credential.json') @Roles('student') @ApiBearerAuth()
  async wallet(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number, @Res() res: Response): Promise<void> {
    const { number, document } = await this.verification.walletCredential(ctx, id);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${number}.json"`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.end(JSON.stringify(document, null, 2));
  }

  /** The issuer's certificates, looked up by number or holder name. */
  @Get('certificates') @Roles('org_admin') @ApiBearerAuth()
  async list(@Ctx() ctx: RequestContext, @Query() q: CertificateSearchQuery) {
    return (await this.issuance.issuerCertificates(ctx, q)).map(view);
  }

  @Get('certificates/:id') @Roles('org_admin') @ApiBearerAuth()
  async get(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number) {
    return view(await this.issuance.issuerCertificate(ctx, id));
  }

  /** Revoke, suspend or reinstate; the answer names the twin so the portal can ask about it. */
  @Post('certificates/:id/status') @Roles('org_admin') @HttpCode(200) @ApiBearerAuth()
  async setStatus(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number, @Body() dto: CertificateStatusDto) {
    const { certificate, twin } = await this.issuance.setStatus(ctx, id, dto.status, dto.reason);
    return { certificate: view(certificate), twin: twin && { id: twin.id, kind: twin.kind, number: twin.number, status: twin.status } };
  }

  @Post('certificates/:id/reissue') @Roles('org_admin') @HttpCode(200) @ApiBearerAuth()
  async reissue(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number, @Body() dto: ReissueDto) {
    const pair: IssuedPair = await this.issuance.reissue(ctx, id, dto.reason);
    return { skill: view(pair.skill), enterprise: view(pair.enterprise) };
  }

  @Get('certificates/:id/pdf') @Roles('student', 'org_admin', 'bureau_verifier') @ApiBearerAuth()
  async pdf(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number, @Res() res: Response): Promise<void> {
    const { number, pdf } = await this.verification.pdf(ctx, id);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="${number}.pdf"`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.end(pdf);
  }

  /** The signed Bitstring Status List credential (VC-JWT), public and cacheable. */
  @Get('status-lists/:id/:purpose') @Public()
  async statusList(@Param('id', ParseIntPipe) id: number, @Param('purpose') purpose: string, @Res() res: Response): Promise<void> {
    if (purpose !== 'revocation' && purpose !== 'suspension') throw DomainError.notFound('Status list');
    const jwt = await this.issuance.statusListJwt(id, purpose);
    res.setHeader('Content-Type', 'application/vc+jwt');
    res.setHeader('Cache-Control', 'public, max-age=60');
    res.end(jwt);
  }

  /** Public verification: number + holder name. Not found and name mismatch give the same bytes. */
  @Post('verify') @Public() @HttpCode(200) @Header('Cache-Control', 'no-store')
  verifyPost(@Body() dto: VerifyDto, @ClientIp() ip: string | null): Promise<VerificationAnswer> {
    return this.verification.verify(dto.number, dto.name, ip);
  }

  /** Public verification of a signed credential (VC-JWT text, or the wallet JSON with its embedded proof). */
  @Post('verify/credential') @Public() @HttpCode(200) @Header('Cache-Control', 'no-store')
  verifyCredential(@Body() dto: VerifyCredentialDto, @ClientIp() ip: string | null): Promise<CredentialVerificationAnswer> {
    return this.verification.verifyCredential(dto.credential, ip);
  }

  @Get('verify') @Public() @Header('Cache-Control', 'no-store')
  verifyGet(@Query('number') number: string, @Query('name') name: string, @ClientIp() ip: string | null): Promise<VerificationAnswer> {
    return this.verification.verify(number, name, ip);
  }
}
