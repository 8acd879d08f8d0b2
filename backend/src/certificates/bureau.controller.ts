import { Body, Controller, Delete, Get, Headers, HttpCode, Param, ParseIntPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { parse as parseCsv } from 'csv-parse/sync';
import { ClientIp, Ctx, Public, Roles } from '../common/auth/decorators';
import type { RequestContext } from '../common/auth/principal';
import { DomainError } from '../common/errors/domain-error';
import { BureauService, MAX_BULK_ROWS, type BulkCsvLanguage, type BureauCaller, type BureauKeyView } from './bureau.service';

/** `?lang=zh|en` words the CSV for people; anything else keeps the stable codes. */
const csvLanguage = (lang: string | undefined): BulkCsvLanguage => (lang === 'zh' || lang === 'en' ? lang : 'codes');
import { CertificateVerificationService, type VerificationAnswer } from './certificate-verification.service';
import { CreateBureauKeyDto, VerifyDto } from './dto/certificates.dto';

const MAX_CSV_BYTES = 16 * 1024 * 1024;

/** Reads a text/csv body (the JSON parser leaves it alone) with a size cap. */
function readText(req: Request): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_CSV_BYTES) {
        reject(DomainError.validation('file', 'FILE_TOO_LARGE', { limitMb: MAX_CSV_BYTES / (1024 * 1024) }));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, '')));
    req.on('error', reject);
  });
}

@ApiTags('bureau')
@Controller('v1')
export class BureauController {
  constructor(
    private readonly bureau: BureauService,
    private readonly verification: CertificateVerificationService,
  ) {}

  /** One verification with an API key (scope verify): the key's quota instead of the public per-IP limit. */
  @Post('bureau/verify') @Public() @HttpCode(200)
  async verifyOne(@Body() dto: VerifyDto, @Headers('x-api-key') apiKey: string | undefined, @ClientIp() ip: string | null): Promise<VerificationAnswer> {
    const caller = await this.bureau.authenticate(apiKey, 'verify', 1);
    return this.verification.verify(dto.number, dto.name, ip, caller.keyId);
  }

  @Post('bureau/api-keys') @Roles('bureau_verifier') @ApiBearerAuth()
  createKey(@Ctx() ctx: RequestContext, @Body() dto: CreateBureauKeyDto): Promise<BureauKeyView & { key: string }> {
    return this.bureau.createKey(ctx, dto);
  }

  @Get('bureau/api-keys') @Roles('bureau_verifier') @ApiBearerAuth()
  listKeys(@Ctx() ctx: RequestContext): Promise<BureauKeyView[]> {
    return this.bureau.listKeys(ctx);
  }

  @Delete('bureau/api-keys/:id') @Roles('bureau_verifier') @HttpCode(204) @ApiBearerAuth()
  revokeKey(@Ctx() ctx: RequestContext, @Param('id', ParseIntPipe) id: number): Promise<void> {
    return this.bureau.revokeKey(ctx, id);
  }

  /**
   * Bulk verification with an API key (scope bulk_verify): `text/csv` with a header `number,name` (up to 100,000
   * rows), or JSON `{ rows: [{ number, name }] }` (the API's 2 MB JSON limit applies). Streams a CSV with a status
   * per row; the rows count against the key's daily quota.
   */
  @Post('bureau/verify/bulk') @Public()
  async bulk(@Req() req: Request, @Res() res: Response, @Headers('x-api-key') apiKey: string | undefined, @ClientIp() ip: string | null, @Query('lang') lang?: string): Promise<void> {
    const rows = await this.bulkRows(req);
    const caller = await this.bureau.authenticate(apiKey, 'bulk_verify', rows.length);
    await this.streamBulk(res, caller, rows, ip, csvLanguage(lang));
  }

  /** The same bulk verification for a bureau verifier signed in to the portal (API keys are for their systems). */
  @Post('bureau/verify/bulk/mine') @Roles('bureau_verifier') @ApiBearerAuth()
  async bulkSignedIn(@Ctx() ctx: RequestContext, @Req() req: Request, @Res() res: Response, @ClientIp() ip: string | null, @Query('lang') lang?: string): Promise<void> {
    const rows = await this.bulkRows(req);
    if (ctx.principal.organisationId === null) throw DomainError.forbidden();
    await this.streamBulk(res, { keyId: null, userId: ctx.principal.userId, organisationId: ctx.principal.organisationId }, rows, ip, csvLanguage(lang));
  }

  private async streamBulk(res: Response, caller: BureauCaller, rows: { number: string; name: string }[], ip: string | null, lang: BulkCsvLanguage): Promise<void> {
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="verification.csv"');
    res.setHeader('Cache-Control', 'no-store');
    for await (const chunk of this.bureau.bulkVerify(caller, rows, ip, lang)) {
      if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
  }

  private async bulkRows(req: Request): Promise<{ number: string; name: string }[]> {
    let rows: { number: string; name: string }[];
    if (req.is('text/csv')) {
      const text = await readText(req);
      try {
        rows = parseCsv(text, { columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), skip_empty_lines: true, trim: true, relax_column_count: true }) as { number: string; name: string }[];
      } catch (e) {
        throw DomainError.validation('file', 'NOT_CSV', { detail: (e as Error).message });
      }
    } else {
      const body = req.body as { rows?: unknown } | undefined;
      if (!body || !Array.isArray(body.rows)) throw DomainError.validation('rows', 'BULK_ROWS_FORMAT');
      rows = body.rows as { number: string; name: string }[];
    }
    if (rows.length === 0) throw DomainError.validation('rows', 'EMPTY_LIST');
    if (rows.length > MAX_BULK_ROWS) throw DomainError.validation('rows', 'TOO_MANY', { max: MAX_BULK_ROWS });
    return rows;
  }

  /** The calling bureau's own audit trail (scope audit). */
  @Get('bureau/audit') @Public()
  async audit(@Headers('x-api-key') apiKey: string | undefined, @Query('limit') limit?: string) {
    const caller = await this.bureau.authenticate(apiKey, 'audit', 1);
    return this.bureau.auditTrail(caller, limit ? Number(limit) || 100 : 100);
  }

  /** Roster export (xlsx) for subsidy claims: full ID numbers for bureau verifiers only (audited). */
  @Get('certificate-roster.xlsx') @Roles('bureau_verifier', 'org_admin') @ApiBearerAuth()
  async roster(@Ctx() ctx: RequestContext, @Res() res: Response, @Query('from') from?: string, @Query('to') to?: string, @Query('issuerId') issuerId?: string, @Query('lang') lang?: string): Promise<void> {
    // `?lang=en` words it in English, `?lang=codes` keeps stable column names and codes for machines; Chinese otherwise.
    const xlsx = await this.bureau.roster(ctx, { from, to, issuerId: issuerId ? Number(issuerId) : undefined }, lang === 'en' || lang === 'codes' ? lang : 'zh');
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', 'attachment; filename="certificate-roster.xlsx"');
    res.setHeader('Cache-Control', 'private, no-store');
    res.end(xlsx);
  }
}
