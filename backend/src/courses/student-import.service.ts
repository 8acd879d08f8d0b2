import { createHash, randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { In, type DataSource, type Repository } from 'typeorm';
import type { ImportRowReport, StudentImportResult, StudentImportView } from '@aitrainer/contracts';
import { csvField, maskIdNumber, validateIdDocument } from '@aitrainer/domain';
import { DomainError } from '../common/errors/domain-error';
import type { RequestContext } from '../common/auth/principal';
import { AuditService } from '../audit/audit.service';
import { FieldCipher } from '../infra/crypto/field-cipher';
import { PasswordHasher } from '../infra/crypto/password-hasher';
import { isUniqueViolation } from '../infra/database/unique-violation';
import { User } from '../identity/entities/user.entity';
import { Cohort, CohortStudent } from './entities/cohort.entity';
import { StudentImport } from './entities/course.entity';
import { enrolNewCohortMembers } from './enrolment-writer';
import { uploadedFileName } from './upload-names';
import { idDocumentTypeFromCell, type RosterRow } from './roster-file';
import { rosterProblem, rosterProblemText, type RosterProblem } from './roster-problems';
import { UploadParser } from '../common/uploads/upload-parser';

const PHONE = /^\+?[0-9 -]{5,20}$/;
const USERNAME_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz';
const DIGITS = '23456789';
const pick = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join('');

interface CheckedRow {
  report: ImportRowReport;
  realName: string;
  cohortId: number;
  idDocumentType: User['idDocumentType'];
  normalized: string;
  index: string;
  phone: string | null;
  existingUserId: number | null;
}

/**
 * Bulk roster import: every row is checked first (ID check character, duplicates inside the file and against
 * existing accounts, unknown cohort); then either every row is written in one transaction or none is.
 * A student already on the school's roster (same ID, same name) is "already present", so importing the same
 * file again creates nothing twice.
 */
const REPORT_WORDS: Record<'zh' | 'en' | 'codes', { header: string[]; outcome: Record<string, string>; column: Record<string, string> } | null> = {
  codes: null,
  zh: {
    header: ['行号', '姓名', '班级', '证件号码', '结果', '问题'],
    outcome: { created: '新建', already_present: '已在名单中', error: '有问题', not_imported: '未导入' },
    column: { name: '姓名', idDocumentType: '证件类型', idNumber: '证件号码', phone: '手机号', cohort: '班级', file: '文件' },
  },
  en: {
    header: ['Line', 'Name', 'Cohort', 'ID number', 'Outcome', 'Problems'],
    outcome: { created: 'Created', already_present: 'Already present', error: 'Has problems', not_imported: 'Not imported' },
    column: { name: 'Name', idDocumentType: 'ID type', idNumber: 'ID number', phone: 'Phone', cohort: 'Cohort', file: 'File' },
  },
};

@Injectable()
export class StudentImportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(Cohort) private readonly cohorts: Repository<Cohort>,
    @InjectRepository(StudentImport) private readonly imports: Repository<StudentImport>,
    private readonly hasher: PasswordHasher,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditService,
    private readonly uploads: UploadParser,
  ) {}

  async import(ctx: RequestContext, file: { buffer: Buffer; originalname: string } | undefined): Promise<StudentImportResult> {
    const organisationId = ctx.principal.organisationId;
    if (organisationId === null) throw DomainError.forbidden('You belong to no school');
    if (!file || file.buffer.length === 0) throw DomainError.validation('file', 'FILE_REQUIRED_OF', { accepted: 'CSV / Excel (.xlsx)' });
    const fileName = uploadedFileName(file.originalname) || 'roster';
    const rows = await this.uploads.parse('roster', { bytes: file.buffer, fileName });
    const checked = await this.check(organisationId, rows);
    const errorRows = checked.filter((c) => c.report.outcome === 'error').length;
    const now = new Date();
    const base = {
      organisationId,
      actorId: ctx.principal.userId,
      fileName,
      fileSha256: createHash('sha256').update(file.buffer).digest('hex'),
      totalRows: rows.length,
      createdAt: now,
    };

    if (errorRows > 0) {
      for (const c of checked) if (c.report.outcome !== 'error') c.report.outcome = 'not_imported';
      const saved = await this.imports.save(
        this.imports.create({ ...base, status: 'rejected', createdCount: 0, presentCount: 0, errorCount: errorRows, report: JSON.stringify(checked.map((c) => c.report)) }),
      );
      await this.audit.record({ actorId: ctx.principal.userId, action: 'roster.import_rejected', subjectType: 'student_import', subjectId: saved.id, ip: ctx.ip, detail: { rows: rows.length, errorRows } });
      return { ...this.toView(saved), credentials: [] };
    }

    const fresh = checked.filter((c) => c.existingUserId === null);
    const usernames = await this.freshUsernames(fresh.length);
    // Hashing is the slow part (scrypt): done before the transaction, a few at a time on the thread pool.
    const passwords = fresh.map(() => pick(LETTERS, 5) + pick(DIGITS, 5));
    const hashes: string[] = [];
    for (let i = 0; i < passwords.length; i += 8) hashes.push(...(await Promise.all(passwords.slice(i, i + 8).map((p) => this.hasher.hash(p)))));

    let saved: StudentImport;
    try {
      saved = await this.db.transaction(async (tx) => {
        const memberships: { cohortId: number; userId: number }[] = [];
        for (let i = 0; i < fresh.length; i++) {
          const row = fresh[i];
          const user = await tx.getRepository(User).save(
            tx.getRepository(User).create({
              organisationId,
              username: usernames[i],
              passwordHash: hashes[i],
              realName: row.realName,
              role: 'student',
              phone: row.phone,
              idDocumentType: row.idDocumentType,
              idNumberEnc: this.cipher.encrypt(row.normalized),
              idNumberIndex: row.index,
              idNumberMasked: maskIdNumber(row.normalized),
              createdAt: now,
              passwordChangedAt: now,
            }),
          );
          row.existingUserId = user.id;
          row.report.outcome = 'created';
        }
        for (const row of checked) memberships.push({ cohortId: row.cohortId, userId: row.existingUserId! });
        const present = await tx.getRepository(CohortStudent).find({ where: { userId: In(memberships.map((m) => m.userId)) } });
        const have = new Set(present.map((p) => `${p.cohortId}:${p.userId}`));
        const missing = memberships.filter((m) => !have.has(`${m.cohortId}:${m.userId}`));
        for (let i = 0; i < missing.length; i += 200) {
          await tx.getRepository(CohortStudent).insert(missing.slice(i, i + 200).map((m) => ({ ...m, createdAt: now })));
        }
        await enrolNewCohortMembers(tx, missing, now);
        return tx.getRepository(StudentImport).save(
          tx.getRepository(StudentImport).create({
            ...base,
            status: 'completed',
            createdCount: fresh.length,
            presentCount: checked.length - fresh.length,
            errorCount: 0,
            report: JSON.stringify(checked.map((c) => c.report)),
          }),
        );
      });
    } catch (e) {
      // Another import of the same students won the race: nothing of this one was written.
      if (isUniqueViolation(e)) throw DomainError.conflict('file', 'IMPORT_RACE');
      throw e;
    }
    await this.audit.record({ actorId: ctx.principal.userId, action: 'roster.imported', subjectType: 'student_import', subjectId: saved.id, ip: ctx.ip, detail: { created: saved.createdCount, alreadyPresent: saved.presentCount } });
    return {
      ...this.toView(saved),
      credentials: fresh.map((row, i) => ({ line: row.report.line, realName: row.realName, username: usernames[i], initialPassword: passwords[i] })),
    };
  }

  async list({ principal }: RequestContext): Promise<StudentImportView[]> {
    if (principal.organisationId === null) return [];
    const rows = await this.imports.find({ where: { organisationId: principal.organisationId }, order: { id: 'DESC' }, take: 20 });
    return rows.map((r) => ({ ...this.toView(r), rows: [] }));
  }

  async get({ principal }: RequestContext, id: number): Promise<StudentImportView> {
    const row = await this.imports.findOneBy({ id });
    if (!row || row.organisationId !== principal.organisationId) throw DomainError.notFound('Import');
    return this.toView(row);
  }

  /** The row-by-row report as CSV (UTF-8 with BOM so that Excel shows Chinese). */
  /** The row-by-row report in the requester's language (`codes`: stable column names, outcomes and problem codes). */
  async reportCsv(ctx: RequestContext, id: number, lang: 'zh' | 'en' | 'codes' = 'zh'): Promise<{ fileName: string; csv: string }> {
    const view = await this.get(ctx, id);
    const quote = (v: string | number) => csvField(v); // neutralises formulas (OWASP CSV injection)
    const words = REPORT_WORDS[lang];
    const lines = [(words?.header ?? ['line', 'name', 'cohort', 'id_number', 'outcome', 'problems']).join(',')];
    for (const r of view.rows) {
      const problems = r.problems.map((p) =>
        words ? `${words.column[p.column] ?? p.column}${lang === 'zh' ? '：' : ': '}${rosterProblemText(p, lang as 'zh' | 'en')}` : `${p.column}:${p.code ?? p.problem}`,
      );
      lines.push([r.line, r.name, r.cohort, r.idNumberMasked, words ? (words.outcome[r.outcome] ?? r.outcome) : r.outcome, problems.join(lang === 'zh' ? '；' : '; ')].map(quote).join(','));
    }
    return { fileName: `import-${id}-report.csv`, csv: '\uFEFF' + lines.join('\r\n') + '\r\n' };
  }

  private toView(row: StudentImport): StudentImportView {
    return {
      id: row.id,
      fileName: row.fileName,
      status: row.status,
      totalRows: row.totalRows,
      created: row.createdCount,
      alreadyPresent: row.presentCount,
      errorRows: row.errorCount,
      createdAt: row.createdAt.toISOString(),
      rows: JSON.parse(row.report) as ImportRowReport[],
    };
  }

  private async check(organisationId: number, rows: RosterRow[]): Promise<CheckedRow[]> {
    const cohorts = await this.cohorts.find({ where: { organisationId } });
    const cohortByName = new Map(cohorts.map((c) => [c.name.trim(), c.id]));
    const firstLineByIndex = new Map<string, number>();
    const checked: CheckedRow[] = rows.map((row) => {
      const problems: RosterProblem[] = [...row.readProblems];
      if (!row.name) problems.push(rosterProblem('name', 'ROSTER_EMPTY'));
      else if (row.name.length > 100) problems.push(rosterProblem('name', 'ROSTER_TOO_LONG', { max: 100 }));
      const type = idDocumentTypeFromCell(row.idDocumentType);
      if (!type) problems.push(rosterProblem('idDocumentType', 'ROSTER_UNKNOWN_ID_TYPE', { value: row.idDocumentType }));
      let normalized = row.idNumber.toUpperCase();
      if (!row.idNumber) problems.push(rosterProblem('idNumber', 'ROSTER_EMPTY'));
      else if (type && !problems.some((p) => p.column === 'idNumber')) {
        const result = validateIdDocument(type, row.idNumber);
        if (result.valid) normalized = result.normalized;
        else problems.push(rosterProblem('idNumber', 'ROSTER_INVALID_ID_NUMBER', { type, reason: result.reason, reasonCode: result.code }));
      }
      if (row.phone && !PHONE.test(row.phone)) problems.push(rosterProblem('phone', 'ROSTER_NOT_A_PHONE'));
      const cohortId = cohortByName.get(row.cohort);
      if (!row.cohort) problems.push(rosterProblem('cohort', 'ROSTER_EMPTY'));
      else if (cohortId === undefined) problems.push(rosterProblem('cohort', 'ROSTER_UNKNOWN_COHORT', { cohort: row.cohort }));

      const index = type ? this.cipher.blindIndex(normalized) : '';
      if (type && row.idNumber && !problems.some((p) => p.column === 'idNumber')) {
        const key = `${type}:${index}`;
        const first = firstLineByIndex.get(key);
        if (first !== undefined) problems.push(rosterProblem('idNumber', 'ROSTER_DUPLICATE_ID_NUMBER', { line: first }));
        else firstLineByIndex.set(key, row.line);
      }
      return {
        report: {
          line: row.line,
          name: row.name,
          cohort: row.cohort,
          idNumberMasked: row.idNumber ? maskIdNumber(normalized) : '',
          outcome: problems.length ? 'error' : 'already_present',
          problems,
        },
        realName: row.name,
        cohortId: cohortId ?? 0,
        idDocumentType: type,
        normalized,
        index,
        phone: row.phone || null,
        existingUserId: null,
      };
    });

    // Against existing accounts, by blind index (the numbers are never decrypted for this).
    const candidates = checked.filter((c) => c.report.outcome !== 'error');
    const found: User[] = [];
    for (let i = 0; i < candidates.length; i += 500) {
      found.push(...(await this.users.find({ where: { idNumberIndex: In(candidates.slice(i, i + 500).map((c) => c.index)) } })));
    }
    const byKey = new Map(found.map((u) => [`${u.idDocumentType}:${u.idNumberIndex}`, u]));
    for (const row of candidates) {
      const user = byKey.get(`${row.idDocumentType}:${row.index}`);
      if (!user) {
        row.report.outcome = 'created'; // provisional: written only if every row passes
        continue;
      }
      if (user.organisationId === organisationId && user.role === 'student' && user.realName === row.realName) {
        row.existingUserId = user.id;
        row.report.outcome = 'already_present';
      } else {
        row.report.outcome = 'error';
        row.report.problems.push(rosterProblem('idNumber', 'ROSTER_ID_NUMBER_TAKEN'));
      }
    }
    return checked;
  }

  private async freshUsernames(n: number): Promise<string[]> {
    const result = new Set<string>();
    while (result.size < n) {
      const batch = Array.from({ length: Math.min(500, n - result.size) }, () => `s.${pick(USERNAME_ALPHABET, 8)}`).filter((u) => !result.has(u));
      const taken = new Set((await this.users.find({ select: { username: true }, where: { username: In(batch) } })).map((u) => u.username));
      batch.filter((u) => !taken.has(u)).forEach((u) => result.add(u));
    }
    return [...result];
  }
}
