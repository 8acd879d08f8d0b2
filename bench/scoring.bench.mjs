#!/usr/bin/env node
// Benchmark of @aitrainer/scoring: a 10,000-item single-label classification submission and a
// 1,000-image bounding-box submission (~10 boxes per image), each against a bare baseline loop.
// Runs on one core (plain Node, no workers). Exit code 1 if a target is missed.
//
//   node bench/scoring.bench.mjs            (from the workspace root)
//
// The library is bundled from TypeScript source with esbuild (already in node_modules) into tmp/.
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'tmp/bench-scoring/scoring.mjs');
mkdirSync(dirname(outfile), { recursive: true });
await build({ entryPoints: [join(root, 'libs/scoring/src/index.ts')], bundle: true, format: 'esm', platform: 'node', target: 'node20', outfile, logLevel: 'warning' });
const { scoreSingleLabel, scoreBoundingBoxes, iou } = await import(pathToFileURL(outfile).href);

const TARGET_ITEMS_PER_S = 100_000;
const TARGET_BOXES_PER_S = 10_000;

// Deterministic data (LCG), so runs are comparable.
let seed = 20260101;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = (xs) => xs[Math.floor(rand() * xs.length)];

// --- classification: 10,000 items, 5 classes, ~85 % right, 1 % unanswered
const LABELS = ['正面', '负面', '中性', '广告', '无关'];
const clsGold = [];
const clsAnswers = [];
for (let i = 0; i < 10_000; i++) {
  const label = pick(LABELS);
  clsGold.push({ itemId: `item-${i}`, label });
  const r = rand();
  if (r < 0.01) continue;
  clsAnswers.push({ itemId: `item-${i}`, label: r < 0.86 ? label : pick(LABELS) });
}

// --- boxes: 1,000 images, 10 gold boxes each; answers jitter each box, drop ~5 %, relabel ~5 %, add ~1 spurious box
const BOX_LABELS = ['car', 'person', 'bicycle', 'traffic_light'];
const boxGold = [];
const boxAnswers = [];
let goldBoxCount = 0;
let answerBoxCount = 0;
for (let i = 0; i < 1_000; i++) {
  const gold = [];
  const answer = [];
  for (let k = 0; k < 10; k++) {
    const b = { x: Math.floor(rand() * 1800), y: Math.floor(rand() * 1000), width: 20 + Math.floor(rand() * 200), height: 20 + Math.floor(rand() * 200), label: pick(BOX_LABELS) };
    gold.push(b);
    const r = rand();
    if (r < 0.05) continue;
    const j = () => Math.round((rand() - 0.5) * 0.15 * b.width);
    answer.push({ x: b.x + j(), y: b.y + j(), width: b.width + j(), height: b.height + j(), label: r < 0.1 ? pick(BOX_LABELS) : b.label });
  }
  if (rand() < 0.7) answer.push({ x: Math.floor(rand() * 1800), y: Math.floor(rand() * 1000), width: 50, height: 50, label: pick(BOX_LABELS) });
  goldBoxCount += gold.length;
  answerBoxCount += answer.length;
  boxGold.push({ itemId: `img-${i}`, boxes: gold });
  boxAnswers.push({ itemId: `img-${i}`, boxes: answer });
}

// --- bare baselines: the least work that could be called "scoring"
function baselineClassification(gold, answers) {
  const byId = new Map();
  for (const a of answers) byId.set(a.itemId, a.label);
  let correct = 0;
  for (const g of gold) if (byId.get(g.itemId) === g.label) correct++;
  return correct / gold.length;
}
function baselineBoxes(gold, answers) {
  // every IoU of every gold/answer pair, counting pairs over 0.5 with the same label (no matching)
  let hits = 0;
  for (let i = 0; i < gold.length; i++) {
    const gb = gold[i].boxes, ab = answers[i].boxes;
    for (const g of gb) for (const a of ab) if (g.label === a.label && iou(g, a) >= 0.5) hits++;
  }
  return hits;
}

/** Median wall time in ms of `runs` calls after `warmup` calls. */
function time(fn, runs = 15, warmup = 5) {
  let sink;
  for (let i = 0; i < warmup; i++) sink = fn();
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    sink = fn();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return { ms: ms[Math.floor(ms.length / 2)], sink };
}

const fmt = (n) => Math.round(n).toLocaleString('en-US').padStart(12);
const rows = [];
let ok = true;
function report(name, unit, count, target, lib, base) {
  const rate = (count / lib.ms) * 1000;
  const baseRate = (count / base.ms) * 1000;
  const pass = rate >= target;
  ok &&= pass;
  rows.push(`${name.padEnd(36)} ${fmt(rate)} ${unit}/s   target >= ${fmt(target)}  ${pass ? 'PASS' : 'FAIL'}   (${lib.ms.toFixed(2)} ms)   baseline ${fmt(baseRate)} ${unit}/s (${base.ms.toFixed(2)} ms)`);
}

const cls = time(() => scoreSingleLabel(clsGold, clsAnswers));
const clsBase = time(() => baselineClassification(clsGold, clsAnswers));
report('classification, 10,000 items', 'items', clsGold.length, TARGET_ITEMS_PER_S, cls, clsBase);

const box = time(() => scoreBoundingBoxes(boxGold, boxAnswers), 9, 3);
const boxBase = time(() => baselineBoxes(boxGold, boxAnswers), 9, 3);
report(`boxes, 1,000 images, ${answerBoxCount} boxes`, 'boxes', answerBoxCount, TARGET_BOXES_PER_S, box, boxBase);

// Worst case for the matching: 100 images of 100 boxes each, all crowded in a 300 x 300 area (many candidate pairs).
const denseGold = [], denseAnswers = [];
let denseCount = 0;
for (let i = 0; i < 100; i++) {
  const gold = [], answer = [];
  for (let k = 0; k < 100; k++) {
    const b = { x: Math.floor(rand() * 250), y: Math.floor(rand() * 250), width: 40 + Math.floor(rand() * 20), height: 40 + Math.floor(rand() * 20), label: 'person' };
    gold.push(b);
    answer.push({ ...b, x: b.x + Math.floor((rand() - 0.5) * 12), y: b.y + Math.floor((rand() - 0.5) * 12) });
  }
  denseCount += answer.length;
  denseGold.push({ itemId: `dense-${i}`, boxes: gold });
  denseAnswers.push({ itemId: `dense-${i}`, boxes: answer });
}
const dense = time(() => scoreBoundingBoxes(denseGold, denseAnswers), 5, 1);
const denseBase = time(() => baselineBoxes(denseGold, denseAnswers), 5, 1);
report(`dense: 100 images x 100 crowded boxes`, 'boxes', denseCount, TARGET_BOXES_PER_S, dense, denseBase);

console.log(`@aitrainer/scoring benchmark  (node ${process.version}, one core, median of runs)`);
for (const r of rows) console.log(r);
console.log(`sanity: classification score ${cls.sink.score.toFixed(4)} (baseline ${clsBase.sink.toFixed(4)}); box F1 ${box.sink.score.toFixed(4)}, TP ${box.sink.metrics.tp}`);
console.log('items/s = gold items scored per second; boxes/s = submitted (answer) boxes scored per second, each matched against ~10 (dense: 100) gold boxes.');
if (!ok) process.exitCode = 1;
