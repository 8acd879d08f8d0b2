import type { LoginResponse, Role } from '@aitrainer/contracts';
import { ROLES } from '@aitrainer/contracts';
import { bearer, startTestEnv, type TestEnv } from './support/test-app';

/**
 * A bounded fuzz over every write route of the OpenAPI document: each gets at least 20 malformed bodies (deep
 * nesting, wrong types, nulls, huge strings, invalid UTF-8, numbers as strings, NaN and Infinity, bare values),
 * sent by a role the route admits. No answer may be a 5xx, and every 400 names the field it refuses.
 * List routes with `page` get hostile pages. Seeded, so a failure replays the same way.
 */

let t: TestEnv;
const tokens = new Map<Role, LoginResponse>();

interface Operation {
  method: 'post' | 'put' | 'patch' | 'delete' | 'get';
  path: string;
  /** A body the route would accept (from the OpenAPI examples, or written out below): mutations start from it. */
  baseline: Record<string, unknown>;
  params: string[];
}

interface Schema {
  $ref?: string;
  type?: string;
  example?: unknown;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  allOf?: Schema[];
}

type OpenApi = {
  paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
  components?: { schemas?: Record<string, Schema> };
};

/** Routes whose side effects would end the fuzz's own sessions. */
const SKIPPED = new Set(['post /api/v1/auth/logout', 'post /api/v1/auth/logout-all']);

const TAGS = { occupation: '4-04-05-05', levels: [4], dutyArea: '数据标注', knowledgePoint: '标注规范', difficulty: 'medium' };
const PROMPT_DEFINITION = {
  title: '电商评论情感分类',
  scenario: '把评论分为正面或负面。',
  variables: ['review'],
  visibleExamples: [{ input: { review: '质量不错' } }],
  hiddenCases: [{ input: { review: '太差了' }, checks: [{ kind: 'label_equals', label: '负面' }] }],
  rubric: [{ id: 'clarity', name: '指令清晰', weight: 1, maxScore: 4, levels: [{ score: 0, descriptor: '含糊' }, { score: 4, descriptor: '明确' }] }],
  weights: { execution: 50, rubric: 50 },
  passMark: 60,
};
const QUESTION = { type: 'single_choice', content: { stem: '单选题', options: [{ key: 'A', text: '甲' }, { key: 'B', text: '乙' }], correctKeys: ['A'] }, tags: TAGS };
const EXAM = {
  title: '模糊测试',
  level: 4,
  parts: [{ part: 'theory', durationMinutes: 30, passMark: 60 }],
  blueprint: [{ part: 'theory', type: 'single_choice', count: 1, points: 100 }],
  eligibility: { requiredCourseIds: [], minTrainingHours: 0 },
};
/** Bodies written out where the OpenAPI document only says "object". */
const BASELINES: Record<string, Record<string, unknown>[]> = {
  'post /api/v1/question-bank/questions': [
    QUESTION,
    { type: 'multiple_choice', content: { stem: '多选题', options: [{ key: 'A', text: '甲' }, { key: 'B', text: '乙' }], correctKeys: ['A', 'B'] }, tags: TAGS },
    { type: 'true_false', content: { stem: '判断题', answer: true }, tags: TAGS },
    { type: 'fill_blank', content: { stem: '填空 ____', acceptedAnswers: ['标注'] }, tags: TAGS },
    { type: 'short_answer', content: { stem: '简答', rubric: '要点' }, tags: TAGS },
  ],
  'put /api/v1/question-bank/questions/{id}': [QUESTION],
  'post /api/v1/prompt-tasks': [{ definition: PROMPT_DEFINITION }],
  'put /api/v1/prompt-tasks/{id}': [{ definition: PROMPT_DEFINITION }],
  'post /api/v1/exams': [EXAM],
  'put /api/v1/exams/{id}': [EXAM],
  'post /api/v1/exam-sessions': [{ examId: 1, venue: 'A301', startsAt: '2030-01-01T08:00:00Z', endsAt: '2030-01-01T10:00:00Z' }],
  'post /api/v1/exam-sessions/{id}/registrations': [{ userId: 1 }, { username: 'demo.student' }],
};

function exampleOf(doc: OpenApi, schema: Schema | undefined, name: string, depth = 0): unknown {
  if (!schema || depth > 6) return {};
  if (schema.example !== undefined) return schema.example;
  if (schema.enum?.length) return schema.enum[0];
  const ref = schema.$ref ?? schema.allOf?.[0]?.$ref;
  const target = ref ? doc.components?.schemas?.[ref.split('/').pop() ?? ''] : schema;
  if (target?.properties) return Object.fromEntries(Object.entries(target.properties).map(([k, v]) => [k, exampleOf(doc, v, k, depth + 1)]));
  switch (target?.type) {
    case 'string':
      return /At$/.test(name) ? '2030-01-01T08:00:00Z' : `示例-${name}`;
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [exampleOf(doc, target.items, name, depth + 1)];
    default:
      return {};
  }
}

function operations(doc: OpenApi): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (!['post', 'put', 'patch', 'delete', 'get'].includes(method)) continue;
      const params = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      const schema = Object.values(op.requestBody?.content ?? {})[0]?.schema;
      const written = BASELINES[`${method} ${path}`];
      const derived = schema ? exampleOf(doc, schema, 'body') : {};
      const baselines = written ?? [typeof derived === 'object' && derived !== null && !Array.isArray(derived) ? (derived as Record<string, unknown>) : {}];
      for (const baseline of baselines) ops.push({ method: method as Operation['method'], path, baseline, params });
    }
  }
  return ops;
}

// A small deterministic generator (mulberry32), so the same bodies are sent every run.
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

const DELETE = Symbol('delete');
const HOSTILE_VALUES: unknown[] = [
  null,
  DELETE,
  {},
  [],
  [[null]],
  true,
  -1,
  1.5,
  '12',
  '',
  'x'.repeat(70_000),
  1e20,
  -1e308,
  { $gt: '' },
  '\u0000\ud800',
  ['a', 1, null],
  'x',
];

/** Raw (not JSON.stringify'd) bodies: each is refused before any route runs. */
function rawBodies(): Buffer[] {
  const deep = 5000;
  return [
    Buffer.from('{"a":'.repeat(deep) + '1' + '}'.repeat(deep)),
    Buffer.from('['.repeat(deep) + ']'.repeat(deep)),
    Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from('"}')]),
    Buffer.from('{"score": NaN}'),
    Buffer.from('{"score": Infinity}'),
    Buffer.from('{"a": 1'),
  ];
}

/** Every path to a value inside the baseline (objects and arrays), up to a depth. */
function leaves(value: unknown, prefix: (string | number)[] = [], depth = 0): (string | number)[][] {
  if (depth > 5 || value === null || typeof value !== 'object') return prefix.length ? [prefix] : [];
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return [...(prefix.length ? [prefix] : []), ...entries.flatMap(([k, v]) => leaves(v, [...prefix, k], depth + 1))];
}

function mutate(baseline: unknown, path: (string | number)[], replacement: unknown): unknown {
  const copy = structuredClone(baseline) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (replacement === DELETE) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = replacement;
  return copy;
}

/** Whole-body oddities, every field one hostile value, then one field at a time (bounded, seeded). */
function jsonBodies(op: Operation, random: () => number, max = 24): unknown[] {
  const bodies: unknown[] = [null, 42, 'text', [], [op.baseline], {}];
  const names = Object.keys(op.baseline).length ? Object.keys(op.baseline) : ['name', 'id', 'items'];
  for (const value of HOSTILE_VALUES) if (value !== DELETE) bodies.push(Object.fromEntries(names.map((n) => [n, value])));
  // Each top-level field left out, null, and of the wrong kind: always sent.
  for (const name of Object.keys(op.baseline)) {
    for (const value of [DELETE, null, typeof op.baseline[name] === 'string' ? 7 : 'x']) bodies.push(mutate(op.baseline, [name], value));
  }
  const paths = leaves(op.baseline);
  const single: unknown[] = [];
  for (const path of paths) for (const value of HOSTILE_VALUES) single.push(mutate(op.baseline, path, value));
  // A seeded sample when there are too many, so the suite stays well under two minutes.
  while (single.length > 0 && bodies.length < max) bodies.push(single.splice(Math.floor(random() * single.length), 1)[0]);
  return bodies;
}

const fillPath = (path: string) => path.replace(/\{[^}]+\}/g, '1');

let doc: OpenApi;

beforeAll(async () => {
  t = await startTestEnv({ LOGIN_FREE_FAILURES_PER_ADDRESS: '1000' });
  for (const role of ROLES) tokens.set(role, await t.login(role));
  doc = (await t.http().get('/api/docs/openapi.json')).body as OpenApi;
}, 60_000);
afterAll(async () => t?.close());

type Send = (op: Operation, token: string | null, body: unknown, raw?: Buffer) => Promise<{ status: number; body: { code?: string; fields?: { field: string }[] } }>;

const send: Send = async (op, token, body, raw) => {
  let req = t.http()[op.method](fillPath(op.path)).set('X-Forwarded-For', '10.99.0.1');
  if (token) req = req.set(bearer(token));
  req = req.set('Content-Type', 'application/json');
  const res = raw ? await req.send(raw) : await req.send(JSON.stringify(body));
  return { status: res.status, body: res.body };
};

/** The first role the route admits (not 401/403), or none: anonymous routes go with no token. */
async function callerFor(op: Operation): Promise<string | null> {
  const anonymous = await send(op, null, {});
  if (anonymous.status !== 401 && anonymous.status !== 403) return null;
  for (const role of ROLES) {
    const token = tokens.get(role)!.accessToken;
    const r = await send(op, token, {});
    if (r.status !== 401 && r.status !== 403) return token;
  }
  return tokens.get('platform_admin')!.accessToken;
}

describe('malformed input on every write route', () => {
  it('never answers 5xx; every 400 names a field', async () => {
    const ops = operations(doc).filter((o) => o.method !== 'get' && !SKIPPED.has(`${o.method} ${o.path}`));
    expect(ops.length).toBeGreaterThan(30);
    const random = rng(14);
    const failures: string[] = [];
    let sent = 0;
    for (const op of ops) {
      const token = await callerFor(op);
      const bodies = jsonBodies(op, random);
      const raws = rawBodies();
      expect(bodies.length + raws.length).toBeGreaterThanOrEqual(20);
      const check = (label: string, r: Awaited<ReturnType<Send>>) => {
        sent++;
        if (r.status >= 500) failures.push(`${op.method.toUpperCase()} ${op.path} ${label}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
        else if (r.status === 400 && !(r.body.fields && r.body.fields.length > 0 && r.body.fields.every((f) => typeof f.field === 'string' && f.field.length > 0))) {
          failures.push(`${op.method.toUpperCase()} ${op.path} ${label}: 400 without a field: ${JSON.stringify(r.body).slice(0, 200)}`);
        }
      };
      for (const raw of raws) check(`raw ${raw.subarray(0, 16).toString('hex')}`, await send(op, token, undefined, raw));
      for (const body of bodies) check(JSON.stringify(body).slice(0, 80), await send(op, token, body));
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(ops.length * 20);
  }, 110_000);

  it('refuses hostile pages on every read route with a 400 naming a field, never a 5xx', async () => {
    // Every GET route (path ids as 1): those that page must refuse a hostile page by name; the others ignore it.
    const lists = operations(doc).filter((o) => o.method === 'get' && !o.path.includes('/docs'));
    expect(lists.length).toBeGreaterThan(20);
    const failures: string[] = [];
    for (const op of lists) {
      const token = await callerFor(op);
      for (const page of ['99999999999999999999', '-1', '0', 'abc', '1e400', '1.5', 'NaN', 'Infinity']) {
        let req = t.http().get(fillPath(op.path)).query({ page });
        if (token) req = req.set(bearer(token));
        const r = await req;
        if (r.status >= 500 || (r.status === 400 && !r.body.fields?.length)) {
          failures.push(`GET ${op.path}?page=${page}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
        }
      }
      for (const pageSize of ['100000000', '-5', 'x']) {
        let req = t.http().get(fillPath(op.path)).query({ pageSize });
        if (token) req = req.set(bearer(token));
        const r = await req;
        if (r.status >= 500 || (r.status === 400 && !r.body.fields?.length)) {
          failures.push(`GET ${op.path}?pageSize=${pageSize}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 60_000);
});

describe('concurrent writes that used to deadlock', () => {
  it('eight saves of one prompt task at once, and eight edits of one question, all succeed', async () => {
    const instructor = tokens.get('instructor')!.accessToken;
    const created = await t.http().post('/api/v1/prompt-tasks').set(bearer(instructor)).send({ definition: PROMPT_DEFINITION });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    await t.http().post(`/api/v1/prompt-tasks/${id}/publish`).set(bearer(instructor)).expect(200);
    const saves = await Promise.all(
      Array.from({ length: 8 }, (_, i) => t.http().put(`/api/v1/prompt-tasks/${id}`).set(bearer(instructor)).send({ definition: { ...PROMPT_DEFINITION, passMark: 50 + i } })),
    );
    expect(saves.map((r) => r.status)).toEqual(Array(8).fill(200));

    const question = await t.http().post('/api/v1/question-bank/questions').set(bearer(instructor)).send(QUESTION);
    expect(question.status).toBe(201);
    const edits = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t.http().put(`/api/v1/question-bank/questions/${question.body.id}`).set(bearer(instructor)).send({ ...QUESTION, content: { ...QUESTION.content, stem: `第 ${i} 版` } }),
      ),
    );
    expect(edits.map((r) => r.status)).toEqual(Array(8).fill(200));
    const versions = await t.http().get(`/api/v1/question-bank/questions/${question.body.id}/versions`).set(bearer(instructor));
    expect(versions.status).toBe(200);
    expect(versions.body).toHaveLength(9);
  }, 30_000);
});
