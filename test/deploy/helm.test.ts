/**
 * The Helm chart (deploy/helm/steward): `helm lint --strict` and `helm template` with the value
 * sets in its ci/ folder (Atlas, an in-cluster replica set, a minimal install), every rendered
 * manifest validated against Kubernetes v1.27's API schema, and what the manifests must mean:
 * probes, secrets from the existing Secret, the HPA on web only, PDBs and NetworkPolicies that
 * select the pods they are for.
 *
 * helm is built from the Go module proxy by scripts/helm.sh and cached (.cache/, or
 * STEWARD_CACHE_DIR); CI builds it before the suite. Nothing is skipped: without Go or the
 * proxy this test fails and says why.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { type KubernetesValidator, loadKubernetesValidator } from '../support/kubernetesSchema';

const ROOT = path.resolve(__dirname, '../..');
const CHART = path.join(ROOT, 'deploy/helm/steward');
const VALUE_SETS = readdirSync(path.join(CHART, 'ci')).filter((f) => f.endsWith('-values.yaml')).sort();

let helm: string;
let k8s: KubernetesValidator;
let scratch: string;

beforeAll(() => {
  let out: string;
  try {
    // Cached after the first build; a cold build takes minutes on a busy machine.
    out = execFileSync('bash', [path.join(ROOT, 'scripts/helm.sh'), 'ensure'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 45 * 60_000 });
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr ?? String(e);
    throw new Error(`helm could not be built or the Kubernetes schema fetched (scripts/helm.sh ensure needs Go and the Go module proxy):\n${stderr.slice(-2000)}`);
  }
  const vars = Object.fromEntries(out.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  helm = vars.HELM!;
  k8s = loadKubernetesValidator(vars.K8S_SWAGGER!);
  scratch = mkdtempSync(path.join(tmpdir(), 'steward-helm-'));
}, 46 * 60_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function run(args: string[]): { status: number; stdout: string; stderr: string } {
  // HOME and the helm dirs point at scratch space: helm writes its config/cache there.
  const env = { ...process.env, HELM_CONFIG_HOME: path.join(scratch, 'config'), HELM_CACHE_HOME: path.join(scratch, 'cache'), HELM_DATA_HOME: path.join(scratch, 'data') };
  const r = spawnSync(helm, args, { encoding: 'utf8', env, timeout: 120_000 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; spec?: any; data?: Record<string, string> };

function template(valueFiles: string[], set: string[] = []): Manifest[] {
  const r = run(['template', 'rel', CHART, ...valueFiles.flatMap((f) => ['-f', f]), ...set.flatMap((s) => ['--set', s])]);
  if (r.status !== 0) throw new Error(`helm template failed: ${r.stderr}`);
  const docs = parseAllDocuments(r.stdout, { uniqueKeys: true });
  for (const d of docs) if (d.errors.length) throw new Error(`helm template wrote invalid YAML: ${d.errors[0]!.message}`);
  return docs.map((d) => d.toJS() as Manifest | null).filter((m): m is Manifest => m !== null);
}

const valueFile = (name: string) => path.join(CHART, 'ci', name);
const find = (ms: Manifest[], kind: string, name: string) => {
  const m = ms.find((x) => x.kind === kind && x.metadata.name === name);
  if (!m) throw new Error(`no ${kind} ${name} among ${ms.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}`);
  return m;
};
const container = (d: Manifest) => d.spec.template.spec.containers[0];
const selects = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('helm lint', () => {
  it('the chart has value sets to check', () => {
    expect(VALUE_SETS).toEqual(expect.arrayContaining(['atlas-values.yaml', 'minimal-values.yaml', 'replicaset-values.yaml']));
  });

  it.each(VALUE_SETS)('passes --strict with ci/%s', (file) => {
    const r = run(['lint', CHART, '--strict', '-f', valueFile(file)]);
    expect(`${r.stdout}${r.stderr}`).toContain('0 chart(s) failed');
    expect(r.status).toBe(0);
  });

  it('rejects values the chart\'s schema forbids (so the check can fail)', () => {
    const r = run(['lint', CHART, '-f', valueFile('atlas-values.yaml'), '--set', 'mongodb.mode=atlas', '--set', 'metrics.port=3000']);
    expect(r.status).not.toBe(0);
    expect(`${r.stdout}${r.stderr}`).toMatch(/mongodb\.mode|mode/);
  });
});

describe('helm template', () => {
  it.each(VALUE_SETS)('every manifest rendered with ci/%s is valid for Kubernetes v1.27 (strict)', (file) => {
    const ms = template([valueFile(file)]);
    expect(ms.length).toBeGreaterThan(3);
    expect(ms.flatMap((m) => k8s.validate(m))).toEqual([]);
  });

  it('the schema check catches a misspelt field, a wrong type and a missing required field', () => {
    const web = structuredClone(find(template([valueFile('atlas-values.yaml')]), 'Deployment', 'rel-steward-web'));
    web.spec.template.spec.containers[0].readinesProbe = web.spec.template.spec.containers[0].readinessProbe;
    web.spec.template.spec.terminationGracePeriodSeconds = 'thirty';
    delete web.spec.template.spec.containers[0].name;
    const problems = k8s.validate(web).join('\n');
    expect(problems).toMatch(/readinesProbe/);
    expect(problems).toMatch(/terminationGracePeriodSeconds: must be integer/);
    expect(problems).toMatch(/must have required property 'name'/);
    expect(k8s.validate({ apiVersion: 'autoscaling/v9', kind: 'HorizontalPodAutoscaler', metadata: { name: 'x' } })).toEqual([
      'HorizontalPodAutoscaler/x: autoscaling/v9/HorizontalPodAutoscaler is not a kind of Kubernetes v1.27',
    ]);
  });

  it('web and worker: one image, probes on /healthz and /readyz, secrets from the existing Secret, requests set', () => {
    const ms = template([valueFile('atlas-values.yaml')]);
    const web = find(ms, 'Deployment', 'rel-steward-web');
    const worker = find(ms, 'Deployment', 'rel-steward-worker');
    for (const [d, role] of [[web, 'web'], [worker, 'worker']] as const) {
      const c = container(d);
      expect(c.image).toBe(container(web).image);
      expect(c.env.find((e: any) => e.name === 'STEWARD_ROLE').value).toBe(role);
      expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
      expect(c.startupProbe.httpGet.path).toBe('/healthz');
      expect(c.envFrom).toContainEqual({ secretRef: { name: 'steward-secrets' } });
      expect(c.env.find((e: any) => e.name === 'MONGODB_URI').valueFrom.secretKeyRef).toEqual({ name: 'steward-secrets', key: 'MONGODB_URI' });
      expect(c.resources.requests).toEqual(expect.objectContaining({ cpu: expect.anything(), memory: expect.anything() }));
      expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
      expect(d.spec.template.spec.terminationGracePeriodSeconds).toBe(30);
    }
    // No secret value is ever rendered into a ConfigMap.
    const config = find(ms, 'ConfigMap', 'rel-steward');
    expect(Object.keys(config.data!)).not.toEqual(expect.arrayContaining(['AUDIT_SIGNING_KEY']));
    expect(config.data).toMatchObject({ NODE_ENV: 'production', SHUTDOWN_GRACE_SECONDS: '30', PUBLIC_URL: 'https://steward.example.com', METRICS_PORT: '9464', SLACK_MAX_IN_FLIGHT: '64' });
    expect(find(ms, 'ConfigMap', 'rel-steward-legal').data!['privacy.md']).toMatch(/^# Privacy notice/);
  });

  it('the HPA scales web only; web has no fixed replica count while it does', () => {
    const ms = template([valueFile('replicaset-values.yaml')]);
    const hpas = ms.filter((m) => m.kind === 'HorizontalPodAutoscaler');
    expect(hpas).toHaveLength(1);
    expect(hpas[0]!.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'rel-steward-web' });
    expect(hpas[0]!.spec).toMatchObject({ minReplicas: 3, maxReplicas: 12 });
    expect(hpas[0]!.spec.metrics.map((m: any) => m.resource.name)).toEqual(['cpu', 'memory']);
    expect(find(ms, 'Deployment', 'rel-steward-web').spec.replicas).toBeUndefined();
    expect(find(ms, 'Deployment', 'rel-steward-worker').spec.replicas).toBe(3);
  });

  it('PDBs and NetworkPolicies select the pods of their own role', () => {
    const ms = template([valueFile('atlas-values.yaml')]);
    for (const role of ['web', 'worker']) {
      const pod = find(ms, 'Deployment', `rel-steward-${role}`).spec.template.metadata.labels;
      const other = find(ms, 'Deployment', `rel-steward-${role === 'web' ? 'worker' : 'web'}`).spec.template.metadata.labels;
      for (const kind of ['PodDisruptionBudget', 'NetworkPolicy']) {
        const m = find(ms, kind, `rel-steward-${role}`);
        const selector = kind === 'NetworkPolicy' ? m.spec.podSelector.matchLabels : m.spec.selector.matchLabels;
        expect(selects(selector, pod)).toBe(true);
        expect(selects(selector, other)).toBe(false);
      }
    }
    const webPolicy = find(ms, 'NetworkPolicy', 'rel-steward-web').spec;
    expect(webPolicy.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(webPolicy.ingress[0].from[0].namespaceSelector.matchLabels).toEqual({ 'kubernetes.io/metadata.name': 'ingress-nginx' });
    // The worker takes no traffic but the scraper's.
    const workerPolicy = find(ms, 'NetworkPolicy', 'rel-steward-worker').spec;
    expect(workerPolicy.ingress.map((r: any) => r.ports[0].port)).toEqual(['metrics']);
    expect(workerPolicy.egress.flatMap((r: any) => r.ports.map((p: any) => p.port))).toEqual(expect.arrayContaining([53, 27017, 443]));
  });

  it('a replica set: MONGODB_URI is built from the hosts and the Secret\'s user and password, defined before it', () => {
    const c = container(find(template([valueFile('replicaset-values.yaml')]), 'Deployment', 'rel-steward-worker'));
    const names = c.env.map((e: any) => e.name);
    expect(names.indexOf('MONGODB_USERNAME')).toBeLessThan(names.indexOf('MONGODB_URI'));
    expect(names.indexOf('MONGODB_PASSWORD')).toBeLessThan(names.indexOf('MONGODB_URI'));
    expect(c.env.find((e: any) => e.name === 'MONGODB_PASSWORD').valueFrom.secretKeyRef).toEqual({ name: 'steward-secrets', key: 'MONGODB_PASSWORD' });
    expect(c.env.find((e: any) => e.name === 'MONGODB_URI').value).toBe(
      'mongodb://$(MONGODB_USERNAME):$(MONGODB_PASSWORD)@mongodb-0.mongodb-svc.mongodb.svc.cluster.local:27017,mongodb-1.mongodb-svc.mongodb.svc.cluster.local:27017,mongodb-2.mongodb-svc.mongodb.svc.cluster.local:27017/?replicaSet=rs0&authSource=admin&tls=true&w=majority',
    );
  });

  it('minimal: no HPA, PDB, NetworkPolicy or metrics port; fixed replicas', () => {
    const ms = template([valueFile('minimal-values.yaml')]);
    expect(ms.map((m) => m.kind).sort()).toEqual(['ConfigMap', 'ConfigMap', 'Deployment', 'Deployment', 'Service']);
    expect(find(ms, 'Deployment', 'rel-steward-web').spec.replicas).toBe(1);
    expect(container(find(ms, 'Deployment', 'rel-steward-web')).ports.map((p: any) => p.name)).toEqual(['http']);
  });

  it('refuses to render without the Secret, the public URL or the replica set hosts, saying which', () => {
    const values = path.join(scratch, 'bare.yaml');
    writeFileSync(values, 'image: { repository: steward }\n');
    const noSecret = run(['template', 'rel', CHART, '-f', values, '--set', 'publicUrl=https://s.example.com']);
    expect(noSecret.status).not.toBe(0);
    expect(noSecret.stderr).toMatch(/existingSecret: name the Secret/);
    const noUrl = run(['template', 'rel', CHART, '--set', 'existingSecret=s']);
    expect(noUrl.stderr).toMatch(/publicUrl: set the https URL/);
    const noHosts = run(['template', 'rel', CHART, '--set', 'existingSecret=s', '--set', 'publicUrl=https://s.example.com', '--set', 'mongodb.mode=replicaSet']);
    expect(noHosts.stderr).toMatch(/mongodb\.replicaSet\.hosts: list the replica set members/);
  });
});
