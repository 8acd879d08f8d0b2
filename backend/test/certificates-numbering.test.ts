import { DataSource } from 'typeorm';
import { formatSkillCertificateNumber, parseSkillCertificateNumber } from '@aitrainer/certificates';
import { CertificateSequences, type SequenceKey } from '../src/certificates/numbering/certificate-sequences';
import { startTestEnv, type TestEnv } from './support/test-app';

/**
 * Certificate serials from the sequence row locked in the issuing transaction: unique and gap-free per issuer, year
 * and level, with two API instances (two connection pools) issuing at once. Runs on MySQL with TEST_MYSQL_URL.
 */
describe('certificate number sequences', () => {
  let env: TestEnv;
  let a: DataSource;
  let b: DataSource;
  let issuerId: number;
  const sequences = new CertificateSequences();

  beforeAll(async () => {
    env = await startTestEnv();
    a = env.app.get(DataSource);
    b = (await env.newApp()).get(DataSource);
    const [org] = (await a.query('SELECT id FROM organisations ORDER BY id')) as { id: number }[];
    issuerId = Number(org.id);
  });

  afterAll(async () => env?.close());

  const lastSerial = async (key: SequenceKey) =>
    Number(((await a.query('SELECT last_serial FROM certificate_sequences WHERE issuer_id = ? AND year = ? AND level = ?', [key.issuerId, key.year, key.level])) as { last_serial: number }[])[0]?.last_serial ?? 0);

  it('gives 1, 2, 3 … per issuer, year and level, each key on its own', async () => {
    const l5 = { issuerId, year: 2026, level: 5 } as const;
    const l4 = { issuerId, year: 2026, level: 4 } as const;
    expect(await a.transaction((m) => sequences.next(m, l5))).toEqual([1]);
    expect(await a.transaction((m) => sequences.next(m, l5, 3))).toEqual([2, 3, 4]);
    expect(await b.transaction((m) => sequences.next(m, l4))).toEqual([1]);
    expect(await b.transaction((m) => sequences.next(m, { ...l5, year: 2027 }))).toEqual([1]);
    // Twice in one transaction (a batch): no self-deadlock on the row it already holds.
    expect(await a.transaction(async (m) => [...(await sequences.next(m, l5)), ...(await sequences.next(m, l5))])).toEqual([5, 6]);
    const number = formatSkillCertificateNumber({ kind: 'Y', evaluationBodyCode: '0001', provinceCode: '33', siteSerial: '010001', year: 2026, level: 5, serial: 6 });
    expect(parseSkillCertificateNumber(number)).toMatchObject({ valid: true, parts: { level: 5, year: 2026, serial: 6 } });
  });

  it('refuses to run outside a transaction', async () => {
    await expect(sequences.next(a.manager, { issuerId, year: 2026, level: 3 })).rejects.toThrow('inside the issuing transaction');
  });

  it('a rolled-back issuance gives its serial back (no gap)', async () => {
    const key = { issuerId, year: 2030, level: 3 } as const;
    await expect(
      a.transaction(async (m) => {
        await sequences.next(m, key);
        throw new Error('signing failed');
      }),
    ).rejects.toThrow('signing failed');
    expect(await a.transaction((m) => sequences.next(m, key))).toEqual([1]);
  });

  // MySQL: truly concurrent transactions on two pools. SQLite (the one-process embedded default) has one writer and
  // TypeORM's single connection cannot open two transactions at once, so there the same attempts run one after another.
  it('two instances issuing 60 at once, a fifth of them rolling back: unique and gap-free', async () => {
    const key = { issuerId, year: 2031, level: 4 } as const;
    const concurrent = env.dbKind === 'mysql';
    await sequences.prepare(a, key);
    await sequences.prepare(b, key); // idempotent
    let chain: Promise<unknown> = Promise.resolve();
    const queued = <T>(run: () => Promise<T>): Promise<T> => {
      if (concurrent) return run();
      const next = chain.then(run, run);
      chain = next.catch(() => undefined);
      return next;
    };
    const attempts = Array.from({ length: 60 }, (_, i) =>
      queued(() => (concurrent && i % 2 ? b : a)
        .transaction(async (m) => {
          const [serial] = await sequences.next(m, key);
          await new Promise((resolve) => setTimeout(resolve, i % 3)); // hold the lock a little, as signing does
          if (i % 5 === 0) throw new Error('rolled back');
          return serial;
        })
        .then(
          (serial) => ({ ok: true as const, serial }),
          (error: Error) => ({ ok: false as const, error: error.message }),
        )),
    );
    const results = await Promise.all(attempts);
    expect(results.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.error))).toEqual(Array(12).fill('rolled back'));
    const serials = results.flatMap((r) => (r.ok ? [r.serial] : [])).sort((x, y) => x - y);
    expect(serials).toEqual(Array.from({ length: 48 }, (_, i) => i + 1));
    expect(await lastSerial(key)).toBe(48);
  }, 60_000);
});
