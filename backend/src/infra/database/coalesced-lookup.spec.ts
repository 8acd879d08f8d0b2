import { CoalescedLookup } from './coalesced-lookup';

interface Row {
  key: string;
  value: number;
}

/** A fake statement runner that records the keys of every statement and answers when told to. */
function recordingRunner(table: Row[]) {
  const statements: string[][] = [];
  const pending: Array<() => void> = [];
  const run = (keys: string[]) => {
    statements.push(keys);
    return new Promise<Row[]>((resolve) => pending.push(() => resolve(table.filter((r) => keys.includes(r.key)))));
  };
  const answerAll = () => pending.splice(0).forEach((answer) => answer());
  return { statements, run, answerAll };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('CoalescedLookup', () => {
  const table = Array.from({ length: 100 }, (_, i) => ({ key: `K${i}`, value: i }));

  it('answers lookups asked in one turn with one statement, each caller its own row or undefined', async () => {
    const runner = recordingRunner(table);
    const lookup = new CoalescedLookup<Row>({ run: runner.run, keyOf: (r) => r.key, max: 32, inFlight: 4 });
    const answers = Promise.all([lookup.get('K3'), lookup.get('K7'), lookup.get('NOPE'), lookup.get('K3')]);
    await tick();
    runner.answerAll();
    expect(await answers).toEqual([table[3], table[7], undefined, table[3]]);
    // The same key asked twice is looked up once.
    expect(runner.statements).toEqual([['K3', 'K7', 'NOPE']]);
  });

  it('sends at most `max` distinct keys per statement and at most `inFlight` statements at once', async () => {
    const runner = recordingRunner(table);
    const sizes: number[] = [];
    const lookup = new CoalescedLookup<Row>({ run: runner.run, keyOf: (r) => r.key, max: 8, inFlight: 2, onBatch: (n) => sizes.push(n) });
    const answers = Promise.all(table.slice(0, 50).map((r) => lookup.get(r.key)));
    await tick();
    expect(runner.statements.map((s) => s.length)).toEqual([8, 8]);
    // While two are on their way the rest waits, then leaves as the slots free up.
    while (runner.statements.flat().length < 50) {
      runner.answerAll();
      await tick();
      await tick();
    }
    runner.answerAll();
    expect(await answers).toEqual(table.slice(0, 50));
    expect(Math.max(...sizes)).toBe(8);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(50);
  });

  it('fails every lookup of a failed statement and goes on with the next ones', async () => {
    let fail = true;
    const lookup = new CoalescedLookup<Row>({
      run: async (keys) => {
        if (fail) throw new Error('connection lost');
        return table.filter((r) => keys.includes(r.key));
      },
      keyOf: (r) => r.key,
      max: 32,
      inFlight: 1,
    });
    const failed = await Promise.allSettled([lookup.get('K1'), lookup.get('K2')]);
    expect(failed.map((f) => f.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await lookup.get('K2')).toEqual(table[2]);
  });

  it('compares keys exactly: a row whose key differs only in case is not the one asked for', async () => {
    const lookup = new CoalescedLookup<Row>({ run: async () => [{ key: 'ABC', value: 1 }], keyOf: (r) => r.key, max: 32, inFlight: 1 });
    expect(await lookup.get('abc')).toBeUndefined();
  });
});
