// The offline verifier's logic: reads the files, calls @aitrainer/certificates, prints the answer.
// Bundled together with the library by ../verify-certificate.mjs; needs nothing but Node (no network).
import { readFileSync } from 'node:fs';
import { idNumberMatches, isDataIntegrityCredential, verifyCertificateDocumentOffline, verifyCertificateOffline } from '@aitrainer/certificates';

export const USAGE = `Usage: aitrainer-verify <vc-jwt | file> --jwks <jwks.json> [--status <status-list> ...] [--id-number <n>] [--json] [--now <ISO date>]

Checks a certificate offline, in either of its two forms: the VC-JWT (signature against the saved JWKS, key
chosen by kid) or the wallet JSON with its embedded eddsa-rdfc-2022 proof (against the Ed25519 keys of the same
JWKS); then the printed fields, the validity dates, and revocation/suspension against the saved status lists.

  <vc-jwt | file>   the VC-JWT itself, or a file holding it (or the text of the QR code carrying vc=...),
                    or the wallet JSON file (.json, with "proof")
  --jwks FILE       the issuer's JWKS, saved from /.well-known/jwks.json
  --status FILE     a signed status-list credential (VC-JWT text, or JSON: a string or an array of strings);
                    repeat for the revocation and the suspension list
  --id-number N     also check that the holder's ID number N matches the credential's hashed one
  --json            print the full result as JSON
  --now DATE        check as of this instant (default: now)

Exit code: 0 valid, 1 invalid, 2 revoked, 3 suspended, 64 usage error.`;

const EXIT = { valid: 0, invalid: 1, revoked: 2, suspended: 3 };
const LABELS = { valid: '有效 VALID', invalid: '无效 INVALID', revoked: '已撤销 REVOKED', suspended: '已暂停 SUSPENDED' };

class UsageError extends Error {}

function parseArgs(argv) {
  const args = { statusFiles: [], json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new UsageError(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === '--jwks') args.jwks = value();
    else if (arg === '--status') args.statusFiles.push(value());
    else if (arg === '--json') args.json = true;
    else if (arg === '--now') args.now = value();
    else if (arg === '--id-number') args.idNumber = value();
    else if (arg === '-h' || arg === '--help') args.help = true;
    else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    else if (args.credential === undefined) args.credential = arg;
    else throw new UsageError('give one credential');
  }
  return args;
}

function readText(path, what) {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${path}: ${error.code ?? error.message}`);
  }
}

function readStatusLists(path) {
  const text = readText(path, 'status list').trim();
  if (!text.startsWith('[') && !text.startsWith('"') && !text.startsWith('{')) return [text];
  const parsed = JSON.parse(text);
  if (typeof parsed === 'string') return [parsed];
  if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return parsed;
  throw new UsageError(`${path}: a status list file holds a VC-JWT, or JSON with a string or an array of strings`);
}

/** Runs the verifier; returns the exit code. `out`/`err` are write functions (testable without a process). */
export async function run(argv, out = (s) => process.stdout.write(s), err = (s) => process.stderr.write(s)) {
  let args;
  try {
    args = parseArgs(argv);
    if (args.help) {
      out(USAGE + '\n');
      return 0;
    }
    if (!args.credential || !args.jwks) throw new UsageError('a credential and --jwks are required');
    const looksLikeJwt = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(args.credential);
    const credential = looksLikeJwt ? args.credential : readText(args.credential, 'credential');
    let jwks;
    try {
      jwks = JSON.parse(readText(args.jwks, 'JWKS'));
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`${args.jwks} is not JSON`);
    }
    if (!jwks || !Array.isArray(jwks.keys)) throw new UsageError(`${args.jwks} is not a JWKS ({"keys": [...]})`);
    const statusLists = args.statusFiles.flatMap(readStatusLists);
    const now = args.now ? new Date(args.now) : new Date();
    if (Number.isNaN(now.getTime())) throw new UsageError('--now is not a date');
    let document = null;
    if (credential.trim().startsWith('{')) {
      try {
        document = JSON.parse(credential);
      } catch {
        throw new UsageError(`${args.credential} is neither a VC-JWT nor JSON`);
      }
      if (!isDataIntegrityCredential(document)) throw new UsageError(`${args.credential} is JSON without a Data Integrity proof`);
    }
    const result = document ? await verifyCertificateDocumentOffline(document, { jwks, statusLists, now }) : verifyCertificateOffline({ credential, jwks, statusLists, now });
    result.form = document ? 'data-integrity' : 'vc-jwt';
    if (args.idNumber !== undefined && result.credential) result.idNumberMatches = idNumberMatches(result.credential, args.idNumber);
    if (args.json) out(JSON.stringify(result, null, 2) + '\n');
    else out(describe(result));
    return EXIT[result.status];
  } catch (error) {
    if (error instanceof UsageError || error instanceof SyntaxError) {
      err(`aitrainer-verify: ${error.message}\n\n${USAGE}\n`);
      return 64;
    }
    throw error;
  }
}

function describe(result) {
  const lines = [`${LABELS[result.status]}`];
  for (const reason of result.reasons) lines.push(`  reason: ${reason}`);
  for (const warning of result.warnings) lines.push(`  warning: ${warning}`);
  const f = result.fields;
  if (f) {
    lines.push(
      '',
      `  证书名称 title           ${result.credential.name}`,
      `  证书编号 number          ${f.number}`,
      `  姓名 name                ${f.holderName}`,
      `  证件 ID (${f.idDocumentType})  ${f.idNumberMasked}`,
      `  职业 occupation          ${f.occupationName} (${f.occupationCode})`,
      `  工种/职业方向 trade      ${f.trade}`,
      `  等级 level               ${f.level} ${result.credential.credentialSubject.achievement.name.split(' ').pop()}`,
      `  评价机构 evaluation body ${f.evaluationBody}`,
      `  发证日期 issue date      ${f.issueDate}`,
      `  签发者 issuer            ${result.credential.issuer.name} <${result.credential.issuer.id}>`,
      `  签名 signature           ${result.form === 'data-integrity' ? 'embedded proof eddsa-rdfc-2022' : 'VC-JWT'}, key ${result.kid}`,
    );
    if (result.idNumberMatches !== undefined) lines.push(`  证件号码核对 ID number   ${result.idNumberMatches ? '一致 matches the hashed number' : '不一致 does NOT match'}`);
    if (result.credential.twinCredential) lines.push(`  关联证书 twin            ${result.credential.twinCredential.number} (${result.credential.twinCredential.kind})`);
    lines.push('', '  Compare every field above with the paper or PDF certificate.');
  }
  return lines.join('\n') + '\n';
}
