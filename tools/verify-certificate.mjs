#!/usr/bin/env node
// Offline certificate verifier (issue 7): `npx aitrainer-verify <vc-jwt|file> --jwks jwks.json --status status.jwt`.
//
// Bundles tools/verify-certificate/cli.mjs with the TypeScript source of libs/certificates (the same code the
// backend signs with) using esbuild, then runs it. `--build <file.mjs>` instead writes that bundle as one standalone
// file that needs only Node 20+ (no workspace, no network): hand it to a bureau with the saved JWKS and status lists.
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

async function bundle(outfile) {
  mkdirSync(dirname(outfile), { recursive: true });
  await build({
    entryPoints: [join(root, 'tools/verify-certificate/main.mjs')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outfile,
    alias: { '@aitrainer/certificates': join(root, 'libs/certificates/src/index.ts') },
    // The JSON-LD libraries behind the embedded-proof form are CommonJS that require Node built-ins.
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
    logLevel: 'warning',
  });
}

const argv = process.argv.slice(2);
const at = argv.indexOf('--build');
if (at >= 0) {
  const target = argv[at + 1];
  if (!target) {
    console.error('aitrainer-verify: --build needs an output file');
    process.exit(64);
  }
  await bundle(resolve(target));
  console.error(`wrote ${resolve(target)} (run it with: node ${target} <vc-jwt|file> --jwks jwks.json --status status.jwt)`);
} else {
  const outfile = join(root, 'tmp/verify-certificate/aitrainer-verify.mjs');
  await bundle(outfile);
  const { run } = await import(pathToFileURL(outfile).href);
  process.exitCode = await run(argv);
}
