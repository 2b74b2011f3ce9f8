/**
 * Keeps the deployment files in step with the code: environment variable names, role commands,
 * ports, probe paths and task queues. A rename in the code that the manifests miss fails here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { API_LIVENESS_PATH } from '../api/routes/health.js';
import { WORKER_NODE_ARGS } from '../runtime/child-process.js';
import { DEFAULT_API_PORT } from '../runtime/config.js';
import { MAX_CONCURRENT_ACTIVITIES } from '../runtime/worker.js';
import { WORKER_HEALTH_PATH } from '../runtime/worker-metrics-server.js';
import { ALL_TASK_QUEUES, isTaskQueueName } from '../temporal.config.js';
import {
  configEnvVars,
  DOCKERFILE,
  type Doc,
  REPO_ROOT,
  readCompose,
  readEntrypointRoles,
  readK8sManifests,
  readmeEnvVars,
  readPackageScripts,
} from './deployment-files.js';

/** Variables that belong to Node or to a package's installer rather than to EvalForge. */
const THIRD_PARTY_ENV = new Set(['NODE_ENV', 'ONNXRUNTIME_NODE_INSTALL']);
/** Names that hold credentials: never a literal value in a deployment file. */
const SECRET_NAME = /PASSWORD|SECRET|TOKEN|API_KEY|DATABASE_URL/;

const documented = new Set([...configEnvVars(), ...readmeEnvVars()]);
const roles = readEntrypointRoles();
const compose = readCompose();
const manifests = readK8sManifests().map((m) => m.data);

/** The one string path in api/routes/health.ts: what the API's readiness checks must call. */
const apiHealthPath = /path: '([^']+)'/.exec(
  fs.readFileSync(path.join(REPO_ROOT, 'api/routes/health.ts'), 'utf8'),
)![1];

/** An EvalForge process as a deployment file runs it, normalised across compose and Kubernetes. */
interface AppProcess {
  where: string;
  role: string;
  args: string[];
  env: Record<string, string | null>;
  ports: number[];
}

function queuesOf(p: AppProcess): string[] {
  const arg = p.args.find((a) => a.startsWith('--queues='))?.slice('--queues='.length);
  const fromEnv = p.env.EVALFORGE_WORKER_QUEUES;
  if (arg && fromEnv) expect(arg, `${p.where}: --queues and EVALFORGE_WORKER_QUEUES disagree`).toBe(fromEnv);
  return (arg ?? fromEnv ?? '').split(',').filter(Boolean);
}

const isEvalforgeImage = (image: unknown) =>
  /(^|\/)evalforge(:|$)/.test(String(image).replace(/^\$\{[^}]*:-/, ''));

function composeProcesses(): AppProcess[] {
  return Object.entries(compose.services as Record<string, Doc>)
    .filter(([, svc]) => isEvalforgeImage(svc.image))
    .map(([name, svc]) => {
      const [role, ...args] = svc.command as string[];
      return {
        where: `compose service ${name}`,
        role,
        args,
        env: svc.environment ?? {},
        ports: (svc.ports ?? []).map((p: string) => Number(String(p).split(':').at(-1))),
      };
    });
}

const configMaps = new Map<string, Record<string, string>>(
  manifests.filter((m) => m.kind === 'ConfigMap').map((m) => [m.metadata.name, m.data]),
);

function podSpecs(): Array<{ where: string; spec: Doc }> {
  return manifests
    .filter((m) => m.kind === 'Deployment' || m.kind === 'Job')
    .map((m) => ({ where: `${m.kind} ${m.metadata.name}`, spec: m.spec.template.spec }));
}

function k8sProcesses(): AppProcess[] {
  return podSpecs().flatMap(({ where, spec }) =>
    (spec.containers as Doc[])
      .filter((c) => isEvalforgeImage(c.image))
      .map((c) => {
        const env: Record<string, string | null> = {};
        for (const from of c.envFrom ?? []) {
          if (from.configMapRef) {
            const data = configMaps.get(from.configMapRef.name);
            expect(data, `${where}: ConfigMap ${from.configMapRef.name} is not in infra/k8s`).toBeDefined();
            Object.assign(env, data);
          }
        }
        for (const e of c.env ?? []) env[e.name] = e.value ?? null;
        const [role, ...args] = c.args as string[];
        return {
          where: `${where}/${c.name}`,
          role,
          args,
          env,
          ports: (c.ports ?? []).map((p: Doc) => p.containerPort),
        };
      }),
  );
}

const targets = { compose: composeProcesses(), kubernetes: k8sProcesses() };

describe('the image roles', () => {
  it('run exactly the command of the npm script each names', () => {
    const scripts = readPackageScripts();
    expect(roles.map((r) => r.role)).toEqual(['api', 'worker', 'migrate']);
    for (const r of roles) expect(scripts[r.npmScript], `npm run ${r.npmScript}`).toBe(r.command);
    // The same heap cap the supervisor, tests and benchmarks give their worker processes.
    expect(scripts.worker.split(' ').filter((a) => a.startsWith('--max-old-space-size'))).toEqual(
      WORKER_NODE_ARGS,
    );
  });

  it('are the only commands the deployment files give the image', () => {
    for (const p of [...targets.compose, ...targets.kubernetes]) {
      expect(
        roles.map((r) => r.role),
        p.where,
      ).toContain(p.role);
    }
  });
});

describe.each(Object.entries(targets))('%s', (_name, processes) => {
  const byRole = (role: string) => processes.filter((p) => p.role === role);

  it('runs the API, a migration and a worker for every task queue, each queue a real one', () => {
    expect(byRole('api').length).toBe(1);
    expect(byRole('migrate').length).toBe(1);
    const served = byRole('worker').flatMap((w) => {
      const queues = queuesOf(w);
      expect(queues.length, `${w.where} names no queue (it would serve all four)`).toBeGreaterThan(0);
      for (const q of queues) expect(isTaskQueueName(q), `${w.where}: unknown queue ${q}`).toBe(true);
      return queues;
    });
    expect([...served].sort()).toEqual([...ALL_TASK_QUEUES].sort());
  });

  it('sets only environment variables the code reads (runtime/config.ts or README), and the required ones', () => {
    for (const p of processes) {
      for (const name of Object.keys(p.env)) {
        expect(
          documented.has(name),
          `${p.where} sets ${name}, which neither config.ts nor README knows`,
        ).toBe(true);
      }
      expect(p.env, p.where).toHaveProperty('DATABASE_URL');
      if (p.role !== 'migrate') expect(p.env, p.where).toHaveProperty('TEMPORAL_ADDRESS');
      expect(p.env.EVALFORGE_MODE ?? 'production', p.where).toBe('production');
    }
  });

  it('exposes the ports the processes listen on', () => {
    const [api] = byRole('api');
    expect(api.ports).toEqual([Number(api.env.PORT ?? DEFAULT_API_PORT)]);
    for (const w of byRole('worker')) {
      expect(w.env.EVALFORGE_METRICS_PORT, `${w.where} has no metrics/health port`).toBeTruthy();
      if (w.ports.length) expect(w.ports).toEqual([Number(w.env.EVALFORGE_METRICS_PORT)]);
    }
  });
});

describe('docker-compose.prod.yml', () => {
  it('health-checks each process on its own port and path', () => {
    for (const p of targets.compose) {
      const svc = Object.values(compose.services as Record<string, Doc>).find(
        (s) => s.command?.[0] === p.role,
      );
      if (p.role === 'migrate') continue;
      const check = (svc.healthcheck?.test ?? []).join(' ');
      const [port, urlPath] = /127\.0\.0\.1:(\d+)(\/\S*?)'/.exec(check)?.slice(1) ?? [];
      if (p.role === 'api') expect([Number(port), urlPath]).toEqual([Number(p.env.PORT), apiHealthPath]);
      else
        expect([Number(port), urlPath]).toEqual([Number(p.env.EVALFORGE_METRICS_PORT), WORKER_HEALTH_PATH]);
    }
  });

  it('writes no secret: credentials come from variable interpolation', () => {
    for (const [name, svc] of Object.entries(compose.services as Record<string, Doc>)) {
      for (const [key, value] of Object.entries(svc.environment ?? {})) {
        if (SECRET_NAME.test(key)) expect(String(value), `${name}.${key}`).toMatch(/\$\{[A-Z_]+[:?}]/);
      }
    }
  });

  it('reserves a GPU for the judges.gpu worker', () => {
    const gpu = compose.services['worker-judges-gpu'];
    expect(gpu.command).toContain('--queues=judges.gpu');
    expect(gpu.deploy.resources.reservations.devices[0]).toMatchObject({
      driver: 'nvidia',
      capabilities: ['gpu'],
    });
  });
});

describe('Kubernetes manifests', () => {
  const deployments = manifests.filter((m) => m.kind === 'Deployment');

  it('probe real paths on declared ports', () => {
    for (const d of deployments) {
      for (const c of d.spec.template.spec.containers as Doc[]) {
        const portNames = new Set((c.ports ?? []).map((p: Doc) => p.name));
        for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
          const get = c[probe]?.httpGet;
          expect(get, `${d.metadata.name} ${probe}`).toBeDefined();
          expect(portNames.has(get.port), `${d.metadata.name} ${probe} port ${get.port}`).toBe(true);
          const role = c.args[0];
          const allowed = role === 'api' ? [apiHealthPath, API_LIVENESS_PATH] : [WORKER_HEALTH_PATH];
          expect(allowed, `${d.metadata.name} ${probe}`).toContain(get.path);
        }
        expect(c.resources?.requests?.cpu && c.resources?.requests?.memory, d.metadata.name).toBeTruthy();
        expect(c.resources?.limits?.memory, d.metadata.name).toBeTruthy();
      }
    }
    const api = deployments.find((d) => d.spec.template.spec.containers[0].args[0] === 'api');
    expect(api.spec.template.spec.containers[0].readinessProbe.httpGet.path).toBe(apiHealthPath);
  });

  it('select their own pods, and Services, PDBs and the HPA point at Deployments that exist', () => {
    const podLabels = new Map(deployments.map((d) => [d.metadata.name, d.spec.template.metadata.labels]));
    for (const d of deployments)
      expect(d.spec.template.metadata.labels).toMatchObject(d.spec.selector.matchLabels);
    const selects = (selector: Record<string, string>) =>
      [...podLabels.values()].some((labels) => Object.entries(selector).every(([k, v]) => labels[k] === v));
    for (const s of manifests.filter((m) => m.kind === 'Service'))
      expect(selects(s.spec.selector), s.metadata.name).toBe(true);
    for (const p of manifests.filter((m) => m.kind === 'PodDisruptionBudget')) {
      expect(selects(p.spec.selector.matchLabels), p.metadata.name).toBe(true);
    }
    for (const h of manifests.filter((m) => m.kind === 'HorizontalPodAutoscaler')) {
      expect(podLabels.has(h.spec.scaleTargetRef.name), h.metadata.name).toBe(true);
    }
  });

  it('scale the llm workers on their own queue, below the slots each pod has', () => {
    const hpa = manifests.find((m) => m.kind === 'HorizontalPodAutoscaler');
    const slots = hpa.spec.metrics.find((m: Doc) => m.type === 'Pods').pods;
    expect(slots.metric.selector.matchLabels.task_queue).toBe('llm');
    expect(Number(slots.target.averageValue)).toBeLessThan(MAX_CONCURRENT_ACTIVITIES.llm);
    const target = deployments.find((d) => d.metadata.name === hpa.spec.scaleTargetRef.name);
    expect(target.spec.template.spec.containers[0].env).toContainEqual({
      name: 'EVALFORGE_WORKER_QUEUES',
      value: 'llm',
    });
    expect(target.spec.replicas, 'the HPA owns the replica count').toBeUndefined();
  });

  it('put judges.gpu on GPU nodes with a GPU each', () => {
    const gpu = targets.kubernetes.find((p) => queuesOf(p).includes('judges.gpu'))!;
    const deployment = deployments.find((d) => gpu.where.startsWith(`Deployment ${d.metadata.name}/`));
    const spec = deployment.spec.template.spec;
    expect(Object.keys(spec.nodeSelector ?? {})).toContain('nvidia.com/gpu.present');
    expect(spec.containers[0].resources.limits['nvidia.com/gpu']).toBe(1);
    expect(spec.containers[0].image).toMatch(/:gpu$/);
  });

  it('never carry a secret: no Secret objects, credentials only through secretKeyRef', () => {
    expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
    for (const { where, spec } of podSpecs()) {
      for (const c of spec.containers as Doc[]) {
        for (const e of c.env ?? []) {
          if (SECRET_NAME.test(e.name)) expect(e.valueFrom?.secretKeyRef, `${where} ${e.name}`).toBeDefined();
        }
      }
    }
    for (const [name, data] of configMaps) {
      for (const key of Object.keys(data))
        expect(SECRET_NAME.test(key), `ConfigMap ${name} holds ${key}`).toBe(false);
    }
  });
});

describe('infra/Dockerfile', () => {
  it('sets only environment variables the code reads', () => {
    const dockerfile = DockerfileParser.parse(fs.readFileSync(DOCKERFILE, 'utf8'));
    const names = dockerfile
      .getInstructions()
      .filter((i) => i.getKeyword() === 'ENV')
      .flatMap((i) => i.getArguments().map((a) => a.getValue().split('=')[0]));
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(documented.has(name) || THIRD_PARTY_ENV.has(name), name).toBe(true);
  });
});
