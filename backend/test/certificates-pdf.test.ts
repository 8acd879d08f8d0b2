import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { buildCertificateCredential, verificationPageUrl, type CertificateFields } from '@aitrainer/certificates';
import { CertificateGlyphError, defaultCertificateFonts, renderCertificatePdf, type CertificateFonts } from '../src/certificates/pdf/certificate-pdf';

/** Renders real PDFs and reads them back with poppler (pdftotext, pdftoppm) and a QR decoder. */
// poppler-utils is a Debian package: CI installs it and must run these tests; a bare machine skips the reads.
const havePoppler = spawnSync('pdftotext', ['-v']).status === 0;
if (!havePoppler && process.env['CI']) throw new Error('pdftotext (poppler-utils) is required in CI');
if (!havePoppler) console.warn('pdftotext/pdftoppm not found: PDF text and QR checks skipped (apt-get install poppler-utils)');
const withPoppler = havePoppler ? it : it.skip;
const dir = mkdtempSync(join(tmpdir(), 'certificate-pdf-'));
const BASE = 'https://certs.example.cn';

function fields(name: string, number = 'Y000133010001264000042', level: 1 | 2 | 3 | 4 | 5 = 4): CertificateFields {
  return buildCertificateCredential({
    id: 'urn:uuid:1',
    kind: 'skill_level',
    issuer: { id: `${BASE}/issuers/1`, name: '示例智能科技有限公司' },
    number,
    holder: { name, idDocumentType: 'resident_id', idNumberMasked: '110105********002X' },
    level,
    trade: '数据标注员',
    issueDate: '2026-11-28',
    status: { revocation: { statusListCredential: `${BASE}/status/1/revocation`, statusListIndex: 42 } },
  }).credentialSubject.certificate;
}

function pdfText(pdf: Buffer, name: string): string {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

function decodeQr(pdf: Buffer, name: string): string | null {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  execFileSync('pdftoppm', ['-png', '-r', '150', '-singlefile', file, join(dir, `${name}-page`)]);
  const png = PNG.sync.read(readFileSync(join(dir, `${name}-page.png`)));
  return jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength), png.width, png.height)?.data ?? null;
}

/** A 4 × 4 grey PNG standing in for a photo. */
function tinyPhoto(): Buffer {
  const png = new PNG({ width: 4, height: 4 });
  png.data.fill(128);
  return PNG.sync.write(png);
}

describe('certificate PDF', () => {
  const fonts = defaultCertificateFonts();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  withPoppler('holds the title, the holder (张堃), the level, the number and every printed field', async () => {
    const f = fields('张堃');
    const pdf = await renderCertificatePdf({ fields: f, verificationUrl: verificationPageUrl(BASE, f.number), photo: tinyPhoto() }, fonts);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeLessThan(200_000); // only the glyphs used are embedded (the font file is 10 MB)
    const text = pdfText(pdf, 'zhang');
    for (const expected of ['职业技能等级证书', '张堃', '四级/中级工', 'Y000133010001264000042', '人工智能训练师', '4-04-05-05', '数据标注员', '居民身份证', '110105********002X', '示例智能科技有限公司', '2026年11月28日', 'osta.org.cn']) {
      expect(text).toContain(expected);
    }
    expect(readdirSync(dir).length).toBeGreaterThan(0);
  });

  withPoppler('its QR code decodes to the verification URL for the number', async () => {
    const f = fields('王喆', 'Y000133010001265000007', 5);
    const url = verificationPageUrl(BASE, f.number);
    const pdf = await renderCertificatePdf({ fields: f, verificationUrl: url }, fonts);
    expect(decodeQr(pdf, 'qr')).toBe(url);
    expect(pdfText(pdf, 'qr-text')).toContain('五级/初级工');
  });

  it('is deterministic: the same certificate renders to the same bytes', async () => {
    const f = fields('张堃');
    const input = { fields: f, verificationUrl: verificationPageUrl(BASE, f.number) };
    const [a, b] = await Promise.all([renderCertificatePdf(input, fonts), renderCertificatePdf(input, fonts)]);
    expect(a.equals(b)).toBe(true);
  });

  it('refuses a name with a character no configured font has (𠮷 is not in Noto Sans SC), never printing a blank box', async () => {
    const onlyNoto: CertificateFonts = { regular: fonts.regular, fallbacks: [] };
    const f = fields('𠮷田花子');
    await expect(renderCertificatePdf({ fields: f, verificationUrl: verificationPageUrl(BASE, f.number) }, onlyNoto)).rejects.toThrow(CertificateGlyphError);
    await expect(renderCertificatePdf({ fields: f, verificationUrl: verificationPageUrl(BASE, f.number) }, onlyNoto)).rejects.toThrow('U+20BB7');
  });

  const withFallback = fonts.fallbacks.length > 0 && havePoppler ? it : it.skip;
  withFallback('prints 𠮷 (outside the BMP) from the fallback font, extractable as text (needs fonts-hanazono)', async () => {
    const f = fields('𠮷田花子');
    const pdf = await renderCertificatePdf({ fields: f, verificationUrl: verificationPageUrl(BASE, f.number) }, fonts);
    const text = pdfText(pdf, 'yoshida');
    expect(text).toContain('𠮷田花子');
    expect(text).toContain('职业技能等级证书');
  });
});
