/**
 * Reads infra/'s deployment files into plain objects for the static checks in infra/*.test.ts:
 * the compose file, every Kubernetes manifest, the Dockerfile and the image's entrypoint roles.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const INFRA_DIR = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.dirname(INFRA_DIR);
export const COMPOSE_FILE = path.join(INFRA_DIR, 'docker-compose.prod.yml');
export const K8S_DIR = path.join(INFRA_DIR, 'k8s');
export const DOCKERFILE = path.join(INFRA_DIR, 'Dockerfile');
export const ENTRYPOINT = path.join(INFRA_DIR, 'docker-entrypoint.sh');

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML is checked by JSON schemas, not by types
export type Doc = any;

export interface YamlDocument {
  file: string;
  index: number;
  data: Doc;
}

/** Every YAML document in a file; YAML errors and warnings (duplicate keys…) throw. */
export function readYamlDocuments(file: string): YamlDocument[] {
  // Compose files use `<<` merge keys (YAML 1.1), which the yaml package applies only when asked.
  const docs = parseAllDocuments(fs.readFileSync(file, 'utf8'), { merge: true });
  const list = Array.isArray(docs) ? docs : [docs];
  return list.map((doc, index) => {
    const problems = [...doc.errors, ...doc.warnings];
    if (problems.length) throw new Error(`${file}: ${problems.map((p) => p.message).join('; ')}`);
    return { file, index, data: doc.toJS() };
  });
}

export function yamlFilesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => path.join(dir, f))
    .sort();
}

export function readCompose(): Doc {
  return readYamlDocuments(COMPOSE_FILE)[0].data;
}

export function readK8sManifests(): YamlDocument[] {
  return yamlFilesUnder(K8S_DIR)
    .flatMap(readYamlDocuments)
    .filter((d) => d.data !== null);
}

export interface EntrypointRole {
  role: string;
  command: string;
  npmScript: string;
}

/** The roles in docker-entrypoint.sh: `  api) exec <command> "$@" ;; # npm run api`. */
export function readEntrypointRoles(): EntrypointRole[] {
  const roles: EntrypointRole[] = [];
  for (const line of fs.readFileSync(ENTRYPOINT, 'utf8').split('\n')) {
    const m = /^\s+([a-z:-]+)\) exec (.+?) "\$@" ;; # npm run (\S+)$/.exec(line);
    if (m) roles.push({ role: m[1], command: m[2], npmScript: m[3] });
  }
  return roles;
}

export function readPackageScripts(): Record<string, string> {
  return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).scripts;
}

/** Variable names in README's environment table (rows that start with a `NAME` cell). */
export function readmeEnvVars(): Set<string> {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  return new Set([...readme.matchAll(/^\| `([A-Z][A-Z0-9_]*)` +\|/gm)].map((m) => m[1]));
}

/** Variable names that runtime/config.ts validates (the keys of its zod env schema). */
export function configEnvVars(): Set<string> {
  const source = fs.readFileSync(path.join(REPO_ROOT, 'runtime', 'config.ts'), 'utf8');
  const schema = source.slice(source.indexOf('const envSchema = z.object({'), source.indexOf('\n});'));
  return new Set([...schema.matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]));
}
