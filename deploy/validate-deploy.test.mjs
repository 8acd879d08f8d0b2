// The deploy validator (scripts/validate-deploy.mjs): the real files pass, and each kind of breakage is caught
// with a message naming the file and the problem. Run by `npm test` (step 'deployment files').
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { validateDeploy } from '../scripts/validate-deploy.mjs';

const deployDir = resolve(import.meta.dirname);
const root = resolve(deployDir, '..');

/** A copy of deploy/ with one file changed by `edit`; resolves to the validator's problems. */
async function problemsAfter(file, edit) {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-check-'));
  try {
    cpSync(deployDir, dir, { recursive: true });
    const path = join(dir, file);
    writeFileSync(path, edit(readFileSync(path, 'utf8')));
    // The compose file builds from `..`: keep the Dockerfile reachable from the copy's parent.
    return (await validateDeploy(dir, { contextDir: root })).problems.filter((p) => !/builds from .* which does not exist/.test(p));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the deploy files in the repository are valid', async () => {
  const { problems, checked } = await validateDeploy(deployDir);
  assert.deepEqual(problems, []);
  assert.ok(checked.kubernetesDocuments >= 10);
});

test('a file that is not YAML is rejected', async () => {
  const problems = await problemsAfter('k8s/01-configmap.yaml', (s) => s + '\n  bad: [unclosed\n');
  assert.ok(problems.some((p) => /01-configmap\.yaml: YAML error/.test(p)), problems.join('\n'));
});

test('a Kubernetes document that breaks its schema is rejected', async () => {
  const problems = await problemsAfter('k8s/20-api.yaml', (s) => s.replace('containerPort: 3000', 'containerPort: "three thousand"'));
  assert.ok(problems.some((p) => /20-api\.yaml: Deployment aitrainer-api: .*containerPort must be integer/.test(p)), problems.join('\n'));
});

test('an unknown kind is rejected', async () => {
  const problems = await problemsAfter('k8s/40-api-hpa.yaml', (s) => s.replace('kind: HorizontalPodAutoscaler', 'kind: HorizontalPodScaler'));
  assert.ok(problems.some((p) => /unknown apiVersion\/kind autoscaling\/v2 HorizontalPodScaler/.test(p)), problems.join('\n'));
});

test('documents that do not agree with each other are rejected', async () => {
  const selector = await problemsAfter('k8s/20-api.yaml', (s) => s.replace('    matchLabels:\n      app.kubernetes.io/name: aitrainer-api\n  strategy', '    matchLabels:\n      app.kubernetes.io/name: aitrainer-apu\n  strategy'));
  assert.ok(selector.some((p) => /aitrainer-api: spec.selector.matchLabels do not match/.test(p)), selector.join('\n'));
  const secret = await problemsAfter('k8s/21-worker.yaml', (s) => s.replace('name: aitrainer-secrets', 'name: aitrainer-secret'));
  assert.ok(secret.some((p) => /Deployment aitrainer-worker: Secret aitrainer-secret is not defined/.test(p)), secret.join('\n'));
  const probe = await problemsAfter('k8s/20-api.yaml', (s) => s.replace('path: /api/health/ready', 'path: /api/health'));
  assert.ok(probe.some((p) => /readinessProbe must GET \/api\/health\/ready/.test(p)), probe.join('\n'));
  const hpa = await problemsAfter('k8s/40-api-hpa.yaml', (s) => s.replace('    name: aitrainer-api\n  minReplicas', '    name: aitrainer-web\n  minReplicas'));
  assert.ok(hpa.some((p) => /target Deployment aitrainer-web is not defined/.test(p)), hpa.join('\n'));
});

test('a docker-compose.yml outside the Compose schema, or with Redis evicting keys, is rejected', async () => {
  const schema = await problemsAfter('docker-compose.yml', (s) => s.replace('    image: redis:7', '    imagee: redis:7'));
  assert.ok(schema.some((p) => /docker-compose\.yml: \/services\/redis must NOT have additional properties \(imagee\)/.test(p)), schema.join('\n'));
  const eviction = await problemsAfter('docker-compose.yml', (s) => s.replace('"noeviction"', '"allkeys-lru"'));
  assert.ok(eviction.some((p) => /redis must run with --appendonly yes and --maxmemory-policy noeviction/.test(p)), eviction.join('\n'));
  const dep = await problemsAfter('docker-compose.yml', (s) => s.replace('      migrate:\n        condition: service_completed_successfully\n      redis:', '      migrations:\n        condition: service_completed_successfully\n      redis:'));
  assert.ok(dep.some((p) => /service api depends on migrations, which is not defined/.test(p)), dep.join('\n'));
});

test('a Dockerfile with a wrong EXPOSE, a missing COPY source or an unknown stage is rejected', async () => {
  const expose = await problemsAfter('Dockerfile', (s) => s.replace('EXPOSE 3000', 'EXPOSE 8080'));
  assert.ok(expose.some((p) => /EXPOSE 8080 does not match ENV PORT=3000/.test(p)), expose.join('\n'));
  const source = await problemsAfter('Dockerfile', (s) => s.replace('COPY libs ./libs', 'COPY library ./libs'));
  assert.ok(source.some((p) => /COPY source library does not exist/.test(p)), source.join('\n'));
  const stage = await problemsAfter('Dockerfile', (s) => s.replace('COPY --from=deps', 'COPY --from=dependencies'));
  assert.ok(stage.some((p) => /COPY --from=dependencies names no earlier stage/.test(p)), stage.join('\n'));
});
