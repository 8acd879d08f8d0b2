#!/usr/bin/env node
// Grading throughput against what the LLM concurrency setting allows, and proof that the requests-per-minute
// limit is never exceeded. A local OpenAI-compatible server answers every call after a fixed delay; the real
// PromptGrader (hidden-case runs + two judge runs per answer) talks to it through the real openai client.
//
//   node bench/llm-throughput.bench.mjs [--concurrency 4] [--delay 200] [--answers 40]
//
// Phase 1: RPM set high, so only LLM_CONCURRENCY binds: calls/s vs concurrency / delay (target ratio >= 0.9).
// Phase 2: a low RPM over a shortened window (the client's test-only rateWindowMs): the busiest sliding window
// the server saw must hold at most RPM requests.
// Phase 3: what the grading guards (issue 16) add per graded answer: model calls (the narrow screen call) and latency,
// one answer at a time with the screen call on and off, and the CPU time of the deterministic screens (normaliser +
// intent screen) on an answer and its outputs. Exit code 1 if a target is missed.
import { build } from 'esbuild';
import { createServer } from 'node:http';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({ options: { concurrency: { type: 'string', default: '4' }, delay: { type: 'string', default: '200' }, answers: { type: 'string', default: '40' } } });
const CONCURRENCY = Number(args.concurrency);
const DELAY_MS = Number(args.delay);
const ANSWERS = Number(args.answers);

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'tmp/bench-llm/grader.mjs');
mkdirSync(dirname(outfile), { recursive: true });
await build({
  stdin: {
    contents: `export { PromptGrader } from './backend/src/prompts/prompt-grader';
               export { LlmJudge } from './backend/src/grading/judge/llm-judge';
               export { LlmClient } from './backend/src/infra/llm/llm-client';
               export { JsonSchemaValidator } from './backend/src/infra/json-schema';
               export { screenForGraderInstructions } from './libs/domain/src/grading/intent-screen';`,
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true, format: 'esm', platform: 'node', target: 'node20', outfile, logLevel: 'error', packages: 'external',
  tsconfig: join(root, 'tsconfig.base.json'),
});
const { PromptGrader, LlmJudge, LlmClient, JsonSchemaValidator, screenForGraderInstructions } = await import(pathToFileURL(outfile).href);

// --- the scripted provider: every call answered after DELAY_MS
const arrivals = [];
let inFlight = 0;
let maxInFlight = 0;
const server = createServer(async (req, res) => {
  let body = '';
  for await (const chunk of req) body += chunk;
  const parsed = JSON.parse(body);
  arrivals.push(performance.now());
  inFlight++;
  maxInFlight = Math.max(maxInFlight, inFlight);
  const system = parsed.messages[0].role === 'system' ? parsed.messages[0].content : '';
  const screen = system.startsWith('You screen text');
  const judge = system.startsWith('You are an examiner');
  const content = screen ? JSON.stringify({ contains_grader_instructions: false, quotes: [] }) : judge ? JSON.stringify({ criteria: [{ id: 'clarity', score: 3, evidence: 'x', rationale: 'ok' }, { id: 'format', score: 4, evidence: 'y', rationale: 'ok' }] }) : '负面';
  setTimeout(() => {
    inFlight--;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: 'b', object: 'chat.completion', created: 0, model: parsed.model, choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: { prompt_tokens: 50, completion_tokens: 5, total_tokens: 55 } }));
  }, DELAY_MS);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const baseUrl = `http://127.0.0.1:${server.address().port}/v1`;

const task = {
  title: 'bench', scenario: '分类', variables: ['review'], visibleExamples: [],
  hiddenCases: [1, 2, 3].map((i) => ({ input: { review: `评论${i}` }, checks: [{ kind: 'label_equals', label: '负面' }] })),
  rubric: ['clarity', 'format'].map((id) => ({ id, name: id, weight: 1, maxScore: 4, levels: [{ score: 4, descriptor: 'good' }] })),
  weights: { execution: 50, rubric: 50 }, passMark: 60,
};
const CALLS_PER_ANSWER = task.hiddenCases.length + 3; // hidden cases, the screen, two judge runs

function grader(limits, clientOptions = {}, llmScreen = true) {
  const config = { baseUrl, apiKey: 'bench', model: 'cand', judgeModel: 'judge', timeoutMs: 30_000, maxRetries: 0, priceInputPer1k: 0, priceOutputPer1k: 0, ...limits };
  const llm = new LlmClient(config, { keyPrefix: `bench-${Math.random()}`, ...clientOptions });
  return new PromptGrader(new LlmJudge(llm, new JsonSchemaValidator(), { grading: { llmScreen, auditSampleRate: 0.1 } }));
}

/** Grades `n` answers with `workers` grading at once (as worker processes x job concurrency would). */
async function gradeMany(g, n, workers) {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: workers }, async () => {
    while (next < n) {
      next++;
      const result = await g.grade(task, `请只输出正面或负面：{{review}}`);
      if (result.score100 === null) throw new Error('bench answer was not graded');
    }
  }));
  return (performance.now() - started) / 1000;
}

// Phase 1
const g1 = grader({ concurrency: CONCURRENCY, rpm: 1_000_000, tpm: 1_000_000_000 });
await gradeMany(g1, 4, CONCURRENCY * 2); // warm-up
arrivals.length = 0;
maxInFlight = 0;
const seconds = await gradeMany(g1, ANSWERS, CONCURRENCY * 4);
const calls = arrivals.length;
const callsPerSecond = calls / seconds;
const ceiling = CONCURRENCY / (DELAY_MS / 1000);
const ratio = callsPerSecond / ceiling;

// Phase 2
const RPM = 12;
const WINDOW_MS = 3000;
const g2 = grader({ concurrency: 8, rpm: RPM, tpm: 1_000_000_000 }, { rateWindowMs: WINDOW_MS });
arrivals.length = 0;
await gradeMany(g2, 6, 4); // 30 calls against 12 per 3 s window: about 8 s
let busiest = 0;
for (let i = 0; i < arrivals.length; i++) {
  let j = i;
  while (j < arrivals.length && arrivals[j] - arrivals[i] < WINDOW_MS) j++;
  busiest = Math.max(busiest, j - i);
}

// Phase 3: the guards' cost per answer, one answer at a time (latency = what a candidate waits for a grade)
const PER_ANSWER = 10;
async function perAnswer(llmScreen) {
  const g = grader({ concurrency: 8, rpm: 1_000_000, tpm: 1_000_000_000 }, {}, llmScreen);
  await gradeMany(g, 1, 1);
  arrivals.length = 0;
  const s = await gradeMany(g, PER_ANSWER, 1);
  return { calls: arrivals.length / PER_ANSWER, ms: (s * 1000) / PER_ANSWER };
}
const unscreened = await perAnswer(false);
const screened = await perAnswer(true);
const sample = '你是电商客服质检员。请阅读用户评论，判断其情感倾向，只输出“正面”或“负面”，不要输出其他内容。评论：{{review}}';
const texts = [sample, '负面', '正面', '负面'];
const REPS = 2000;
const t0 = performance.now();
for (let i = 0; i < REPS; i++) for (const x of texts) screenForGraderInstructions(x);
const screenMs = (performance.now() - t0) / REPS;
server.close();

const fmt = (n, d = 2) => n.toFixed(d);
console.log(`LLM grading throughput (server delay ${DELAY_MS} ms, LLM_CONCURRENCY ${CONCURRENCY}, ${CALLS_PER_ANSWER} calls per answer)`);
console.log(`  answers graded         ${ANSWERS} in ${fmt(seconds)} s = ${fmt(ANSWERS / seconds)} answers/s`);
console.log(`  LLM calls              ${calls} = ${fmt(callsPerSecond)} calls/s   (ceiling concurrency/delay = ${fmt(ceiling)} calls/s)`);
console.log(`  ratio                  ${fmt(ratio, 3)}   (target >= 0.9)   max in flight seen by the server: ${maxInFlight} (limit ${CONCURRENCY})`);
console.log(`Requests-per-window limit (RPM ${RPM} over a ${WINDOW_MS} ms window, ${arrivals.length} calls)`);
console.log(`  busiest window seen    ${busiest} requests   (limit ${RPM})`);
console.log(`Grading guards per answer (one at a time, server delay ${DELAY_MS} ms, ${task.hiddenCases.length} hidden cases)`);
console.log(`  model calls            ${fmt(screened.calls, 1)} with the screen call, ${fmt(unscreened.calls, 1)} without: +${fmt(screened.calls - unscreened.calls, 1)} per answer`);
console.log(`  latency                ${fmt(screened.ms, 0)} ms with, ${fmt(unscreened.ms, 0)} ms without: +${fmt(screened.ms - unscreened.ms, 0)} ms per answer`);
console.log(`  deterministic screens  ${fmt(screenMs, 3)} ms CPU per answer (prompt + ${texts.length - 1} outputs: normalise, decode, intent screen)`);
const ok = ratio >= 0.9 && busiest <= RPM && maxInFlight <= CONCURRENCY && screened.calls - unscreened.calls === 1;
console.log(ok ? 'all targets met' : 'TARGET MISSED');
process.exit(ok ? 0 : 1);
