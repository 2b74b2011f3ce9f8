/**
 * Docker and Kubernetes do not run here: CI checks the deployment files statically, against the
 * Compose Specification's JSON schema and Kubernetes' own schemas (vendored in infra/schemas by
 * vendor-schemas.py, strict: unknown fields fail), and lints the Dockerfile.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { Copy, DockerfileParser } from 'dockerfile-ast';
import { validate as lintDockerfile } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import {
  DOCKERFILE,
  type Doc,
  ENTRYPOINT,
  INFRA_DIR,
  REPO_ROOT,
  readCompose,
  readK8sManifests,
  readYamlDocuments,
  yamlFilesUnder,
} from './deployment-files.js';

const SCHEMAS_DIR = path.join(INFRA_DIR, 'schemas');
const sources = JSON.parse(fs.readFileSync(path.join(SCHEMAS_DIR, 'sources.json'), 'utf8'));
const K8S_SCHEMAS_DIR = path.join(SCHEMAS_DIR, 'kubernetes', sources.kubernetes.version);

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

function createAjv() {
  // strict: false because both schema sets carry vendor keywords (x-kubernetes-*) ajv does not know.
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  // OpenAPI formats of the Kubernetes schemas.
  ajv.addFormat('int32', {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31,
  });
  ajv.addFormat('int64', { type: 'number', validate: Number.isInteger });
  ajv.addFormat('double', { type: 'number', validate: Number.isFinite });
  ajv.addFormat('byte', /^[A-Za-z0-9+/]*={0,2}$/);
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  return ajv;
}

const ajv = createAjv();
ajv.addSchema(readJson(path.join(K8S_SCHEMAS_DIR, '_definitions.json')));
const validateCompose = ajv.compile(readJson(path.join(SCHEMAS_DIR, 'compose-spec.json')));

/** `apps/v1` Deployment → deployment-apps-v1.json, the file naming of the vendored schemas. */
function k8sSchemaFile(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : [null, apiVersion];
  const groupPart = group ? `-${group.split('.')[0]}` : '';
  return `${kind.toLowerCase()}${groupPart}-${version}.json`;
}

const k8sValidators = new Map<string, ValidateFunction>();
function k8sValidator(doc: Doc): ValidateFunction {
  const file = k8sSchemaFile(String(doc.apiVersion), String(doc.kind));
  let validator = k8sValidators.get(file);
  if (!validator) {
    const schemaPath = path.join(K8S_SCHEMAS_DIR, file);
    if (!fs.existsSync(schemaPath)) {
      throw new Error(
        `no vendored schema ${file}: add its kind to K8S_KINDS in infra/schemas/vendor-schemas.py`,
      );
    }
    validator = ajv.compile(readJson(schemaPath));
    k8sValidators.set(file, validator);
  }
  return validator;
}

function errorsOf(validate: ValidateFunction, data: unknown): string[] {
  return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

describe('YAML under infra/', () => {
  it('parses without errors, warnings or duplicate keys', () => {
    const files = yamlFilesUnder(INFRA_DIR);
    expect(files.map((f) => path.relative(INFRA_DIR, f))).toEqual(
      expect.arrayContaining(['docker-compose.prod.yml', 'k8s/api.yaml', 'k8s/worker-judges-gpu.yaml']),
    );
    for (const file of files) expect(() => readYamlDocuments(file), file).not.toThrow();
  });
});

describe('docker-compose.prod.yml', () => {
  it('is valid under the Compose Specification', () => {
    expect(errorsOf(validateCompose, readCompose())).toEqual([]);
  });

  it('is checked for real: a misspelt service key is rejected', () => {
    const compose = readCompose();
    compose.services.api.comand = compose.services.api.command;
    expect(errorsOf(validateCompose, compose).join('\n')).toMatch(
      /api must NOT have (unevaluated|additional) properties/,
    );
  });
});

describe('Kubernetes manifests', () => {
  const manifests = readK8sManifests();

  it('declare only kinds with a vendored schema, each valid under it', () => {
    expect(manifests.length).toBeGreaterThanOrEqual(8);
    for (const { file, index, data } of manifests) {
      const where = `${path.relative(INFRA_DIR, file)}#${index} (${data.kind} ${data.metadata?.name})`;
      expect(errorsOf(k8sValidator(data), data), where).toEqual([]);
    }
  });

  it('are checked for real: unknown fields and wrong types are rejected', () => {
    const deployment = structuredClone(manifests.find((m) => m.data.kind === 'Deployment')!.data);
    deployment.spec.replica = 2;
    deployment.spec.template.spec.containers[0].ports = [{ containerPort: 'http' }];
    const errors = errorsOf(k8sValidator(deployment), deployment).join('\n');
    expect(errors).toMatch(/additional properties/);
    expect(errors).toMatch(/containerPort/);
  });
});

describe('infra/Dockerfile', () => {
  const source = fs.readFileSync(DOCKERFILE, 'utf8');
  const dockerfile = DockerfileParser.parse(source);

  it('has no lint errors or warnings', () => {
    expect(lintDockerfile(source).map((d) => `line ${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it('builds the CPU runtime by default and a GPU runtime on request, both entering through the entrypoint', () => {
    const stages = dockerfile.getFROMs().map((f) => f.getBuildStage());
    expect(stages.at(-1)).toBe('runtime'); // the last stage is what `docker build` builds without --target
    expect(stages).toContain('runtime-gpu');
    const entrypoints = dockerfile
      .getInstructions()
      .filter((i) => i.getKeyword() === 'ENTRYPOINT')
      .map((i) => JSON.parse(i.getArgumentsContent() ?? '[]'));
    expect(entrypoints).toEqual([['/app/infra/docker-entrypoint.sh'], ['/app/infra/docker-entrypoint.sh']]);
    expect(fs.statSync(ENTRYPOINT).mode & 0o111).not.toBe(0);
  });

  it('copies only files that exist in the build context', () => {
    const copies = dockerfile
      .getInstructions()
      .filter((i): i is Copy => i instanceof Copy && i.getFromFlag() === null);
    const sourcesCopied = copies.flatMap((i) =>
      i
        .getArguments()
        .slice(0, -1)
        .map((a) => a.getValue()),
    );
    expect(sourcesCopied.length).toBeGreaterThan(0);
    for (const src of sourcesCopied) expect(fs.existsSync(path.join(REPO_ROOT, src)), src).toBe(true);
  });
});
