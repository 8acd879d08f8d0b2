import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { CERTIFICATE_TITLES, ID_DOCUMENT_TYPE_NAMES, SKILL_LEVEL_NAMES, type CertificateFields } from '@aitrainer/certificates';

/**
 * One A4 page per certificate, with every field of 人社鉴发〔2021〕1号, a photo slot and a QR code that opens the
 * verification page for the number.
 *
 * - Fonts: Noto Sans SC (OFL, from npm) embedded as a subset (pdfkit embeds only the glyphs used: tens of KB).
 *   Names may hold characters outside it (𠮷 U+20BB7 is not in Noto Sans SC): each character is drawn with the first
 *   font that has it, the fallbacks in order; when none has it, rendering fails with CertificateGlyphError rather than
 *   print a blank box in someone's name.
 * - Deterministic: CreationDate is the issue date and pdfkit derives the file ID from the info dictionary, the QR
 *   code is drawn as vector squares; the same input gives the same bytes.
 */
export interface CertificateFonts {
  /** TTF/OTF path of the main font. */
  regular: string;
  /** Fonts tried, in order, for characters the main font lacks. */
  fallbacks: readonly string[];
}

export interface CertificatePdfInput {
  fields: CertificateFields;
  /** Encoded in the QR code (the verification page pre-filled with this number). */
  verificationUrl: string;
  /** JPEG or PNG; the slot shows 照片 when absent. */
  photo?: Buffer | null;
}

export class CertificateGlyphError extends Error {
  constructor(readonly missing: string[]) {
    super(`no configured font has ${missing.map((c) => `${c} (U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase()})`).join(', ')}`);
    this.name = 'CertificateGlyphError';
  }
}

const NOTO_SANS_SC = '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf';
/** System fonts covering CJK Extension B and beyond (Debian `fonts-hanazono`), used when installed. */
const SYSTEM_FALLBACKS = ['/usr/share/fonts/truetype/hanazono/HanaMinA.ttf', '/usr/share/fonts/truetype/hanazono/HanaMinB.ttf'];

/**
 * Noto Sans SC from node_modules and the installed fallbacks. The font is looked up as a file in `node_modules` of the
 * working directory or its parents (not through `require.resolve`, which the webpack bundle rewrites).
 */
export function defaultCertificateFonts(baseDir: string = process.cwd()): CertificateFonts {
  let dir = resolve(baseDir);
  for (;;) {
    const candidate = join(dir, 'node_modules', NOTO_SANS_SC);
    if (existsSync(candidate)) return { regular: candidate, fallbacks: SYSTEM_FALLBACKS.filter((path) => existsSync(path)) };
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Font ${NOTO_SANS_SC} not found in node_modules above ${baseDir}`);
    dir = parent;
  }
}

const A4 = { width: 595.28, height: 841.89 };
const INK = '#1f2937';
const ACCENT = '#8a1c1c';

interface GlyphSource {
  hasGlyphForCodePoint(codePoint: number): boolean;
}

export async function renderCertificatePdf(input: CertificatePdfInput, fonts: CertificateFonts): Promise<Buffer> {
  const f = input.fields;
  const title = CERTIFICATE_TITLES[f.kind];
  const issued = new Date(`${f.issueDate}T00:00:00+08:00`);
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    autoFirstPage: true,
    info: { Title: `${title} ${f.number}`, Author: f.evaluationBody, Subject: `${f.occupationName} ${SKILL_LEVEL_NAMES[f.level]}`, Creator: 'aitrainer', Producer: 'aitrainer', CreationDate: issued, ModDate: issued },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const fontNames = ['main', ...fonts.fallbacks.map((_, i) => `fallback${i}`)];
  doc.registerFont('main', fonts.regular);
  fonts.fallbacks.forEach((path, i) => doc.registerFont(`fallback${i}`, path));
  const glyphs = new Map<string, GlyphSource>();
  const coverage = (name: string): GlyphSource => {
    let source = glyphs.get(name);
    if (!source) {
      doc.font(name);
      // pdfkit keeps the fontkit font of the current font on `_font.font`; it has no public coverage query.
      source = (doc as unknown as { _font: { font: GlyphSource } })._font.font;
      glyphs.set(name, source);
    }
    return source;
  };
  /** Splits text into runs of one font each; throws when a character is in no font. */
  const runs = (text: string): { font: string; text: string }[] => {
    const out: { font: string; text: string }[] = [];
    const missing: string[] = [];
    for (const ch of text) {
      const cp = ch.codePointAt(0) ?? 0;
      const font = /\s/.test(ch) ? 'main' : fontNames.find((name) => coverage(name).hasGlyphForCodePoint(cp));
      if (!font) {
        missing.push(ch);
        continue;
      }
      const last = out[out.length - 1];
      if (last && last.font === font) last.text += ch;
      else out.push({ font, text: ch });
    }
    if (missing.length) throw new CertificateGlyphError([...new Set(missing)]);
    return out;
  };
  const write = (text: string, x: number, y: number, size: number, options: { width?: number; align?: 'left' | 'center'; color?: string } = {}) => {
    const parts = runs(text);
    doc.fontSize(size).fillColor(options.color ?? INK);
    if (options.align === 'center' && options.width) {
      const width = parts.reduce((sum, p) => sum + doc.font(p.font).widthOfString(p.text), 0);
      x += (options.width - width) / 2;
    }
    parts.forEach((part, i) => {
      doc.font(part.font);
      if (i === 0) doc.text(part.text, x, y, { lineBreak: false, continued: i < parts.length - 1 });
      else doc.text(part.text, { lineBreak: false, continued: i < parts.length - 1 });
    });
  };

  // Frame
  doc.lineWidth(3).strokeColor(ACCENT).rect(24, 24, A4.width - 48, A4.height - 48).stroke();
  doc.lineWidth(0.8).rect(32, 32, A4.width - 64, A4.height - 64).stroke();

  // Title
  write(title, 0, 88, 34, { width: A4.width, align: 'center', color: ACCENT });
  doc.font('Helvetica').fontSize(12).fillColor(INK);
  const english = f.kind === 'skill_level' ? 'Vocational Skill Level Certificate' : 'Enterprise Certificate';
  doc.text(english, 0, 146, { width: A4.width, align: 'center', lineBreak: false });

  // Photo slot (35 × 45 mm ≈ 99 × 128 pt)
  const photo = { x: A4.width - 72 - 99, y: 190, w: 99, h: 128 };
  doc.lineWidth(0.8).strokeColor('#9ca3af').rect(photo.x, photo.y, photo.w, photo.h).stroke();
  if (input.photo) doc.image(input.photo, photo.x + 2, photo.y + 2, { fit: [photo.w - 4, photo.h - 4], align: 'center', valign: 'center' });
  else write('照片', photo.x, photo.y + photo.h / 2 - 8, 12, { width: photo.w, align: 'center' });

  // Fields
  const rows: [string, string][] = [
    ['姓　　名', f.holderName],
    ['证件类型', ID_DOCUMENT_TYPE_NAMES[f.idDocumentType] ?? f.idDocumentType],
    ['证件号码', f.idNumberMasked],
    ['职业名称', `${f.occupationName}（${f.occupationCode}）`],
    ['工种/职业方向', f.trade || '--'],
    ['职业技能等级', SKILL_LEVEL_NAMES[f.level]],
    ['证书编号', f.number],
    [f.kind === 'skill_level' ? '评价机构名称' : '发证机构名称', f.evaluationBody],
    ['发证日期', formatChineseDate(f.issueDate)],
  ];
  let y = 200;
  for (const [label, value] of rows) {
    write(label, 72, y, 13);
    write(value, 190, y, 13);
    doc.lineWidth(0.4).strokeColor('#d1d5db').moveTo(186, y + 20).lineTo(y < photo.y + photo.h ? photo.x - 12 : A4.width - 72, y + 20).stroke();
    y += 40;
  }

  // QR code (vector) with its caption
  const qrSize = 112;
  const qr = { x: A4.width - 72 - qrSize, y: A4.height - 72 - qrSize - 24 };
  drawQr(doc, input.verificationUrl, qr.x, qr.y, qrSize);
  write('扫码验证', qr.x, qr.y + qrSize + 6, 10, { width: qrSize, align: 'center' });

  // Query sites
  let qy = A4.height - 72 - 24 - 16 * f.querySites.length - 18;
  write('证书查询：', 72, qy, 10);
  for (const site of f.querySites) {
    qy += 16;
    write(site, 72, qy, 10);
  }
  write('本证书电子版与纸质版具有同等效力。', 72, qy + 24, 9);

  doc.end();
  return done;
}

function formatChineseDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** The QR code as squares on a white quiet zone of 4 modules (no raster image: sharp at any zoom, same bytes). */
function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const code = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const modules = code.modules.size;
  const cell = size / (modules + 8);
  doc.rect(x, y, size, size).fill('#ffffff');
  doc.fillColor('#000000');
  for (let row = 0; row < modules; row++) {
    for (let col = 0; col < modules; col++) {
      if (code.modules.get(row, col)) doc.rect(x + (col + 4) * cell, y + (row + 4) * cell, cell, cell);
    }
  }
  doc.fill('#000000');
}
