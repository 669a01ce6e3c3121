'use strict';
// Offline check of the rendered cluster manifests (deploy/cluster/check/check.sh runs it on every
// overlay). Three kinds of check, each able to fail:
//
// 1. Schemas. Every object is validated against the Kubernetes API's schema (npm
//    kubernetes-models: types, enums, required fields), and strictly: a key the schema does not
//    know fails, which kubernetes-models alone lets through. The strict check wraps the object in
//    a Proxy and records every key the schema's validator reads; a key it never reads is one the
//    schema does not define (maps such as labels are read key by key, so they pass). The
//    CloudNativePG Cluster, not a Kubernetes type, has its own schema (cnpg-cluster.schema.json,
//    the fields we use, from CloudNativePG's API reference) with no unknown key allowed.
// 2. The manifests against the binaries. Each DPS container's environment may only name settings
//    its binary lists in --help (or one listed in EXPECTED_SOON below), must set every required
//    setting, and its addresses must agree with its ports, probes, Services, peer targets,
//    NetworkPolicies and scrape annotation; every file setting must lie in a mounted volume.
// 3. Running safely: non-root, read-only root filesystem, no privilege escalation, requests and
//    limits, readiness and liveness probes, a PodDisruptionBudget for every workload, an
//    autoscaler for the gateway and scoring, headless Services for gRPC.
//
//   node check.js --build BUILD_DIR rendered.yaml...
// Prints one line per problem ("staging: Deployment/dps-referral: spec...: unknown field") and
// exits 1 when there is any.

const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const YAML = require('yaml');
const Ajv = require('ajv');

// Settings named in the manifests that other work in progress adds to the binaries (one
// PostgreSQL role per service, Redis ACL users). Remove each name here when its
// binary lists it in --help; the check then holds it to the binary like every other setting.
const EXPECTED_SOON = new Set([
]);

// Secrets the manifests use that no overlay generates: cert-manager (or the operator) makes them.
const EXTERNAL_SECRETS = /^dps-grpc-tls-[a-z]+$/;

const SERVICES = ['qualification', 'referral', 'scoring', 'contracts', 'relay', 'gateway'];
const AUTOSCALED = ['gateway', 'scoring'];

const problems = [];
let where = '';
function problem(object, message) {
  const id = object ? `${object.kind}/${object.metadata && object.metadata.name}: ` : '';
  problems.push(`${where}: ${id}${message}`);
}

// --- 1. Schemas -------------------------------------------------------------------------------

// Runs validate on a Proxy of object and returns the paths of keys it never read.
function unreadKeys(validate, object) {
  const reads = new WeakMap();
  const proxies = new WeakMap();
  const wrap = (value) => {
    if (value === null || typeof value !== 'object') return value;
    if (proxies.has(value)) return proxies.get(value);
    const proxy = new Proxy(value, {
      get(target, key, receiver) {
        if (typeof key === 'string') {
          if (!reads.has(target)) reads.set(target, new Set());
          reads.get(target).add(key);
        }
        return wrap(Reflect.get(target, key, receiver));
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };
  const error = validate(wrap(object));
  const unknown = [];
  const walk = (value, at) => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, `${at}[${i}]`));
    } else if (value !== null && typeof value === 'object') {
      const read = reads.get(value) || new Set();
      for (const key of Object.keys(value)) {
        const next = at ? `${at}.${key}` : key;
        if (read.has(key)) walk(value[key], next);
        else unknown.push(next);
      }
    }
  };
  if (!error) walk(object, '');
  return { error, unknown };
}

const cnpgSchema = JSON.parse(fs.readFileSync(path.join(__dirname, 'cnpg-cluster.schema.json')));
const cnpgValidate = new Ajv({ allErrors: true, strict: false }).compile(cnpgSchema);

function validatorFor(object) {
  if (object.apiVersion === 'postgresql.cnpg.io/v1' && object.kind === 'Cluster') {
    return (data) =>
      cnpgValidate(data)
        ? null
        : cnpgValidate.errors
            .map((e) => `${e.instancePath || '/'} ${e.message}` +
                 (e.params && e.params.additionalProperty ? ` (${e.params.additionalProperty})` : ''))
            .join(', ');
  }
  let models;
  try {
    models = require(`kubernetes-models/${object.apiVersion}`);
  } catch (e) {
    return null;
  }
  const Model = models[object.kind];
  if (!Model) return null;
  return (data) => {
    try {
      Model.prototype.validate.call(data);
      return null;
    } catch (e) {
      return e.message;
    }
  };
}

function checkSchema(object) {
  const validate = validatorFor(object);
  if (!validate) {
    problem(object, `no schema for ${object.apiVersion} ${object.kind}`);
    return;
  }
  const { error, unknown } = unreadKeys(validate, object);
  if (error) problem(object, `schema: ${error}`);
  for (const key of unknown) problem(object, `${key}: unknown field`);
}

// --- 2. The manifests against the binaries ----------------------------------------------------

// The settings a binary takes, from its --help: env -> {flag, required}.
const helpCache = new Map();
function settingsOf(build, service) {
  if (helpCache.has(service)) return helpCache.get(service);
  const binary = path.join(build, 'services', service, `dps-${service}`);
  let text;
  try {
    text = execFileSync(binary, ['--help'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    text = `${e.stdout || ''}${e.stderr || ''}`;  // --help exits 2 after printing usage
  }
  const settings = new Map();
  for (const line of text.split('\n')) {
    const m = line.match(/^\s+--([a-z0-9-]+)\s+(DPS_[A-Z0-9_]+)\s+(\(required\)|\[[^\]]*\])/);
    if (m) settings.set(m[2], { flag: m[1], required: m[3] === '(required)' });
  }
  if (settings.size === 0) throw new Error(`${binary} --help listed no settings:\n${text}`);
  helpCache.set(service, settings);
  return settings;
}

function portOf(address) {
  const m = /:(\d+)$/.exec(address || '');
  return m ? Number(m[1]) : null;
}

function matches(selector, labels) {
  return Object.entries(selector || {}).every(([k, v]) => labels && labels[k] === v);
}

function checkWorkloads(objects, build) {
  const byKind = (kind) => objects.filter((o) => o.kind === kind);
  const deployments = byKind('Deployment');
  const services = byKind('Service');
  const secrets = new Map(byKind('Secret').map((s) => [s.metadata.name, s]));
  const configMaps = new Map(byKind('ConfigMap').map((c) => [c.metadata.name, c]));
  const workloads = [...deployments, ...byKind('StatefulSet')];

  const deploymentOf = (name) => deployments.find((d) => d.metadata.name === `dps-${name}`);
  for (const service of SERVICES) {
    if (!deploymentOf(service)) problem(null, `no Deployment dps-${service}`);
  }

  for (const workload of workloads) {
    const pod = workload.spec.template.spec;
    const sc = pod.securityContext || {};
    if (sc.runAsNonRoot !== true) problem(workload, 'pod securityContext.runAsNonRoot must be true');
    const volumes = new Map((pod.volumes || []).map((v) => [v.name, v]));
    for (const claim of workload.spec.volumeClaimTemplates || []) volumes.set(claim.metadata.name, {});
    for (const volume of volumes.values()) {
      if (volume.secret && !secrets.has(volume.secret.secretName) &&
          !EXTERNAL_SECRETS.test(volume.secret.secretName)) {
        problem(workload, `volume ${volume.name}: Secret ${volume.secret.secretName} is not defined`);
      }
      if (volume.secret && volume.secret.items && secrets.has(volume.secret.secretName)) {
        const secret = secrets.get(volume.secret.secretName);
        for (const item of volume.secret.items) {
          if (!(item.key in (secret.data || {}))) {
            problem(workload, `volume ${volume.name}: Secret ${secret.metadata.name} has no key ${item.key}`);
          }
        }
      }
      if (volume.configMap && !configMaps.has(volume.configMap.name)) {
        problem(workload, `volume ${volume.name}: ConfigMap ${volume.configMap.name} is not defined`);
      }
    }
    for (const container of [...(pod.initContainers || []), ...pod.containers]) {
      const csc = container.securityContext || {};
      if (csc.readOnlyRootFilesystem !== true) problem(workload, `${container.name}: root filesystem must be read-only`);
      if (csc.allowPrivilegeEscalation !== false) problem(workload, `${container.name}: allowPrivilegeEscalation must be false`);
      const r = container.resources || {};
      for (const need of ['requests', 'limits']) {
        for (const res of ['cpu', 'memory']) {
          if (!r[need] || !r[need][res]) problem(workload, `${container.name}: resources.${need}.${res} missing`);
        }
      }
      for (const mount of container.volumeMounts || []) {
        if (!volumes.has(mount.name)) problem(workload, `${container.name}: volumeMount ${mount.name} has no volume`);
      }
    }
    for (const container of pod.containers) {
      if (!container.readinessProbe || !container.livenessProbe) {
        problem(workload, `${container.name}: readiness and liveness probes required`);
      }
    }
    const pdbs = byKind('PodDisruptionBudget').filter((p) =>
      matches(p.spec.selector.matchLabels, workload.spec.template.metadata.labels));
    if (pdbs.length !== 1) problem(workload, `needs exactly one PodDisruptionBudget, has ${pdbs.length}`);
  }

  for (const service of AUTOSCALED) {
    const hpa = byKind('HorizontalPodAutoscaler').find((h) => h.spec.scaleTargetRef.name === `dps-${service}`);
    if (!hpa) problem(null, `no HorizontalPodAutoscaler for dps-${service}`);
  }

  // Each DPS container against its binary.
  const grpcPortOf = new Map();  // service name -> Service port that reaches the pods' grpc port
  for (const service of SERVICES) {
    const deployment = deploymentOf(service);
    if (!deployment) continue;
    const pod = deployment.spec.template.spec;
    const container = pod.containers.find((c) => c.name === service);
    if (!container) {
      problem(deployment, `no container named ${service}`);
      continue;
    }
    if (!/(^|\/)dps-[a-z]+(:|$)/.test(container.image) || !container.image.includes(`dps-${service}`)) {
      problem(deployment, `${service}: image ${container.image} is not dps-${service}`);
    }
    const settings = settingsOf(build, service);
    const env = new Map();
    for (const e of container.env || []) {
      if (env.has(e.name)) problem(deployment, `env ${e.name} set twice`);
      env.set(e.name, e);
      if (!settings.has(e.name) && !EXPECTED_SOON.has(e.name)) {
        problem(deployment, `env ${e.name}: dps-${service} takes no such setting (see its --help)`);
      }
      if (e.valueFrom && e.valueFrom.configMapKeyRef) {
        const ref = e.valueFrom.configMapKeyRef;
        const cm = configMaps.get(ref.name);
        if (!cm || !(ref.key in (cm.data || {}))) problem(deployment, `env ${e.name}: ConfigMap ${ref.name} has no key ${ref.key}`);
      }
      if (e.name.endsWith('_FILE') && e.value) {
        const mounted = (container.volumeMounts || []).some((m) => e.value.startsWith(`${m.mountPath}/`));
        if (!mounted) problem(deployment, `env ${e.name}: ${e.value} is in no mounted volume`);
      }
    }
    for (const [name, setting] of settings) {
      if (setting.required && !env.has(name)) problem(deployment, `env ${name}: required by dps-${service}, not set`);
      if (EXPECTED_SOON.has(name)) {
        problem(deployment, `${name}: dps-${service} --help lists it now: take it off EXPECTED_SOON in check.js`);
      }
    }
    const ports = new Map((container.ports || []).map((p) => [p.name, p.containerPort]));
    const value = (name) => env.has(name) ? env.get(name).value : undefined;
    const expectPort = (setting, portName) => {
      if (!env.has(setting)) {
        problem(deployment, `env ${setting}: not set, so the process would listen on loopback only`);
        return;
      }
      if (!/^0\.0\.0\.0:/.test(value(setting))) problem(deployment, `env ${setting}: must listen on 0.0.0.0, got ${value(setting)}`);
      if (portOf(value(setting)) !== ports.get(portName)) {
        problem(deployment, `env ${setting} (${value(setting)}) disagrees with container port ${portName} (${ports.get(portName)})`);
      }
    };
    expectPort('DPS_METRICS_ADDRESS', 'metrics');
    const annotations = deployment.spec.template.metadata.annotations || {};
    if (Number(annotations['prometheus.io/port']) !== ports.get('metrics')) {
      problem(deployment, `prometheus.io/port annotation (${annotations['prometheus.io/port']}) is not the metrics port`);
    }
    if (service === 'gateway') {
      expectPort('DPS_GATEWAY_ADDRESS', 'http');
      for (const probe of [container.readinessProbe, container.livenessProbe]) {
        if (probe && probe.httpGet && !ports.has(probe.httpGet.port) && probe.httpGet.port !== ports.get('http')) {
          problem(deployment, `probe port ${probe.httpGet.port} is not a container port`);
        }
        if (probe && probe.httpGet && !['/healthz', '/readyz'].includes(probe.httpGet.path)) {
          problem(deployment, `probe path ${probe.httpGet.path}: the gateway serves /healthz and /readyz`);
        }
      }
    } else {
      expectPort('DPS_GRPC_ADDRESS', 'grpc');
      expectPort('DPS_GRPC_HEALTH_ADDRESS', 'grpc-health');
      for (const [kind, probe] of [['startup', container.startupProbe], ['readiness', container.readinessProbe],
                                   ['liveness', container.livenessProbe]]) {
        if (!probe) continue;
        if (!probe.grpc) problem(deployment, `${kind}Probe must ask the gRPC health service`);
        else if (probe.grpc.port !== ports.get('grpc-health')) {
          problem(deployment, `${kind}Probe port ${probe.grpc.port} is not the health listener's (${ports.get('grpc-health')})`);
        }
      }
    }

    // Its Service: selects these pods, every target port is a container port; headless for gRPC.
    const svc = services.find((s) => s.metadata.name === `dps-${service}`);
    if (!svc) {
      problem(deployment, `no Service dps-${service}`);
      continue;
    }
    if (!matches(svc.spec.selector, deployment.spec.template.metadata.labels)) {
      problem(svc, `selector matches no pod of dps-${service}`);
    }
    if (service !== 'gateway' && svc.spec.clusterIP !== 'None') {
      problem(svc, 'must be headless (clusterIP: None) so gRPC clients balance over the pods');
    }
    for (const p of svc.spec.ports) {
      const target = typeof p.targetPort === 'string' ? ports.get(p.targetPort) : p.targetPort;
      if (target === undefined || ![...ports.values()].includes(target)) {
        problem(svc, `port ${p.name}: targetPort ${p.targetPort} is no container port of dps-${service}`);
      }
      if (target === ports.get('grpc')) grpcPortOf.set(service, p.port);
    }
  }

  // Peer targets name a Service and the port that reaches that service's gRPC server.
  for (const service of SERVICES) {
    const deployment = deploymentOf(service);
    if (!deployment) continue;
    const container = deployment.spec.template.spec.containers.find((c) => c.name === service);
    for (const e of (container && container.env) || []) {
      const m = /^DPS_([A-Z]+)_TARGET$/.exec(e.name);
      if (!m) continue;
      const peer = m[1].toLowerCase();
      const t = /^dns:\/\/\/([a-z0-9-]+):(\d+)$/.exec(e.value || '');
      if (!t) {
        problem(deployment, `env ${e.name}: must be dns:///SERVICE:PORT (a headless Service), got ${e.value}`);
      } else if (t[1] !== `dps-${peer}` || Number(t[2]) !== grpcPortOf.get(peer)) {
        problem(deployment, `env ${e.name}: ${e.value} does not reach dps-${peer}'s gRPC port (${grpcPortOf.get(peer)})`);
      }
    }
  }

  // NetworkPolicies: each names ports its pods listen on.
  for (const policy of byKind('NetworkPolicy')) {
    const selected = workloads.filter((w) => matches(policy.spec.podSelector.matchLabels, w.spec.template.metadata.labels));
    const listening = new Set(selected.flatMap((w) => w.spec.template.spec.containers.flatMap((c) => (c.ports || []).map((p) => p.containerPort))));
    if (policy.spec.podSelector.matchLabels && policy.spec.podSelector.matchLabels['cnpg.io/cluster']) continue;
    if (policy.metadata.name === 'dps-metrics' || selected.length === 0) continue;
    for (const rule of policy.spec.ingress || []) {
      for (const p of rule.ports || []) {
        if (!listening.has(p.port)) problem(policy, `port ${p.port}: no selected pod listens on it`);
      }
    }
  }
}

// --- main ---------------------------------------------------------------------------------------

function main() {
  const args = process.argv.slice(2);
  const buildAt = args.indexOf('--build');
  if (buildAt < 0 || args.length < buildAt + 3) {
    console.error('usage: node check.js --build BUILD_DIR rendered.yaml...');
    process.exit(2);
  }
  const build = args[buildAt + 1];
  const files = args.filter((_, i) => i !== buildAt && i !== buildAt + 1);
  let count = 0;
  for (const file of files) {
    where = path.basename(file, '.yaml');
    const objects = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'))
      .map((d) => d.toJS())
      .filter((o) => o);
    for (const object of objects) checkSchema(object);
    checkWorkloads(objects, build);
    count += objects.length;
  }
  for (const p of problems) console.log(p);
  console.log(`cluster check: ${count} objects in ${files.length} overlays, ${problems.length} problems`);
  process.exit(problems.length === 0 ? 0 : 1);
}

main();
