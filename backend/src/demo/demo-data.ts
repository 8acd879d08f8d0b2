import type { DataSource } from 'typeorm';
import { DEMO_PASSWORD, DEMO_USERNAMES, type Role } from '@aitrainer/contracts';
import { creditCodeCheckCharacter, maskIdNumber, residentIdCheckCharacter } from '@aitrainer/domain';
import type { FieldCipher } from '../infra/crypto/field-cipher';
import type { PasswordHasher } from '../infra/crypto/password-hasher';
import { Organisation, OrganisationPartner } from '../identity/entities/organisation.entity';
import { User } from '../identity/entities/user.entity';
import { Cohort, CohortStudent } from '../courses/entities/cohort.entity';
import { ANALYSIS_CANDIDATES } from './content/analysis';

const withCreditCheck = (first17: string) => first17 + creditCodeCheckCharacter(first17);
const withIdCheck = (first17: string) => first17 + residentIdCheckCharacter(first17);

export const DEMO_ORGANISATIONS = {
  issuer: { name: '智训未来科技有限公司', creditCode: withCreditCheck('91330106MA2CXP7K1') },
  school: { name: '杭州数智职业技术学院', creditCode: withCreditCheck('12330100MB0D41562') },
  bureau: { name: '杭州市人力资源和社会保障局', creditCode: withCreditCheck('11330100002489017') },
};

const DEMO_PEOPLE: Record<Role, { realName: string; org: keyof typeof DEMO_ORGANISATIONS | null }> = {
  student: { realName: '李明', org: 'school' },
  instructor: { realName: '王老师', org: 'school' },
  school_admin: { realName: '陈主任', org: 'school' },
  org_admin: { realName: '赵经理', org: 'issuer' },
  bureau_verifier: { realName: '周科员', org: 'bureau' },
  platform_admin: { realName: '平台管理员', org: null },
};

/**
 * The demo cohort's other students: two who passed the level-5 exam (certificates issued; the second one's skill
 * certificate revoked) and classmates at different points of the level-5 course (for registering a cohort).
 */
export const DEMO_EXTRA_STUDENTS: readonly { username: string; realName: string; idFirst17: string; graduate: boolean; level5Lessons: number | 'all' }[] = [
  { username: 'demo.zhanghua', realName: '张华', idFirst17: '33010620040822003', graduate: true, level5Lessons: 'all' },
  { username: 'demo.liuyang', realName: '刘洋', idFirst17: '33010219990105004', graduate: true, level5Lessons: 'all' },
  { username: 'demo.sunlei', realName: '孙磊', idFirst17: '33010520030611005', graduate: false, level5Lessons: 'all' },
  { username: 'demo.zhaoxue', realName: '赵雪', idFirst17: '33010820051130006', graduate: false, level5Lessons: 4 },
];

/**
 * The cohort's other students (part of the demo content, not of the bare demo accounts): the named classmates above
 * and the class who sat the past stage test (content/analysis.ts). All sign in with the demo password.
 */
export async function createDemoClassmates(db: DataSource, hasher: PasswordHasher, cipher: FieldCipher, cohortId: number, schoolId: number): Promise<void> {
  const passwordHash = await hasher.hash(DEMO_PASSWORD);
  const now = new Date();
  await db.transaction(async (tx) => {
    for (const s of [...DEMO_EXTRA_STUDENTS, ...ANALYSIS_CANDIDATES]) {
      const idNumber = withIdCheck(s.idFirst17);
      const user = await tx.getRepository(User).save({
        organisationId: schoolId,
        username: s.username,
        passwordHash,
        realName: s.realName,
        role: 'student' as const,
        phone: null,
        idDocumentType: 'resident_id',
        idNumberEnc: cipher.encrypt(idNumber),
        idNumberIndex: cipher.blindIndex(idNumber),
        idNumberMasked: maskIdNumber(idNumber),
        createdAt: now,
        passwordChangedAt: now,
      });
      await tx.getRepository(CohortStudent).save({ cohortId, userId: user.id, createdAt: now });
    }
  });
}

/** Loads the demo enterprise, school (with a cohort), bureau and one user per role. Safe to run again. */
export async function loadDemoData(db: DataSource, hasher: PasswordHasher, cipher: FieldCipher): Promise<boolean> {
  const users = db.getRepository(User);
  if (await users.existsBy({ username: DEMO_USERNAMES.platform_admin })) return false;
  await db.transaction(async (tx) => {
    const now = new Date();
    const orgs = {} as Record<keyof typeof DEMO_ORGANISATIONS, Organisation>;
    for (const kind of ['issuer', 'school', 'bureau'] as const) {
      orgs[kind] = await tx.getRepository(Organisation).save({ kind, ...DEMO_ORGANISATIONS[kind], createdAt: now });
    }
    // The demo school is a partner of the demo enterprise, so its students can be registered into the enterprise's sessions.
    await tx.getRepository(OrganisationPartner).save({ issuerId: orgs.issuer.id, schoolId: orgs.school.id, createdBy: null, createdAt: now });
    const cohort = await tx.getRepository(Cohort).save({ organisationId: orgs.school.id, name: '2026级人工智能训练师1班', createdAt: now });
    const passwordHash = await hasher.hash(DEMO_PASSWORD);
    for (const role of Object.keys(DEMO_PEOPLE) as Role[]) {
      const person = DEMO_PEOPLE[role];
      const idNumber = role === 'student' ? withIdCheck('33010620050315002') : null;
      const user = await tx.getRepository(User).save({
        organisationId: person.org ? orgs[person.org].id : null,
        username: DEMO_USERNAMES[role],
        passwordHash,
        realName: person.realName,
        role,
        phone: null,
        idDocumentType: idNumber ? 'resident_id' : null,
        idNumberEnc: idNumber ? cipher.encrypt(idNumber) : null,
        idNumberIndex: idNumber ? cipher.blindIndex(idNumber) : null,
        idNumberMasked: idNumber ? maskIdNumber(idNumber) : null,
        createdAt: now,
        passwordChangedAt: now,
      });
      if (role === 'student') await tx.getRepository(CohortStudent).save({ cohortId: cohort.id, userId: user.id, createdAt: now });
    }
  });
  return true;
}
