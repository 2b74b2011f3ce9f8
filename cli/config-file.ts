/**
 * An `evalforge.yaml` read from disk, as `evalforge validate` checks it and `evalforge run -c` sends it:
 * the schema (core/eval-config.ts) plus what only a checkout can tell — the dataset file it names exists
 * under the repository root, is a regular file (a symbolic link may not lead out of the repository: a pull
 * request could otherwise make CI upload any file of the runner), is UTF-8 text and is under the size limit.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  type EvalConfig,
  EvalConfigDatasetSchema,
  type EvalConfigIssue,
  MAX_CONFIG_DATASET_BYTES,
  MAX_EVAL_CONFIG_BYTES,
  parseEvalConfig,
} from '../core/eval-config.js';
import { CliError, EXIT } from './exit-codes.js';

export interface ConfigFile {
  /** The file as the user named it (for messages). */
  file: string;
  /** The repository root: --root, else the config file's directory (absolute). */
  root: string;
  /** The config file's path relative to the root, with forward slashes; null when it lies outside the root. */
  configPath: string | null;
  issues: EvalConfigIssue[];
  /** The validated config (defaults filled in), when there are no issues. */
  config: EvalConfig | null;
  /** Files the server needs, by repository-relative path: the dataset file when config.dataset.path is set. */
  files: Record<string, string>;
}

/** Extensions the server tells a dataset file's format by (api/services/config-runs.ts). */
const DATASET_EXTENSIONS = new Set(['.csv', '.tsv', '.jsonl', '.ndjson', '.json']);

const utf8 = new TextDecoder('utf-8', { fatal: true });
function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

const toPosix = (p: string) => p.split(path.sep).join('/');

/** Reads and checks a config file. A file that cannot be read at all is a usage error; anything wrong with
 * its content comes back as issues. */
export function readConfigFile(file: string, opts: { root?: string } = {}): ConfigFile {
  const absolute = path.resolve(file);
  const root = path.resolve(opts.root ?? path.dirname(absolute));
  const relative = path.relative(root, absolute);
  const configPath = relative.startsWith('..') || path.isAbsolute(relative) ? null : toPosix(relative);
  const result: ConfigFile = { file, root, configPath, issues: [], config: null, files: {} };

  let stat: fs.Stats;
  try {
    stat = fs.statSync(absolute);
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${reason(err)}`, EXIT.USAGE);
  }
  if (!stat.isFile()) throw new CliError(`cannot read ${file}: not a file`, EXIT.USAGE);
  if (stat.size > MAX_EVAL_CONFIG_BYTES) {
    result.issues.push({ path: '', message: `larger than ${MAX_EVAL_CONFIG_BYTES} bytes` });
    return result;
  }
  const text = decodeUtf8(fs.readFileSync(absolute));
  if (text === null) {
    result.issues.push({ path: '', message: 'not UTF-8 text' });
    return result;
  }
  const parsed = parseEvalConfig(text);
  if (!parsed.ok) result.issues.push(...parsed.issues);
  // The dataset file is checked even when something else is wrong: every problem is reported at once.
  const dataset = parsed.ok ? parsed.config.dataset : datasetOf(text);
  if (dataset && 'path' in dataset) {
    const file = readDatasetFile(root, dataset.path, dataset.format);
    if ('issue' in file) result.issues.push(file.issue);
    else result.files[dataset.path] = file.text;
  }
  if (parsed.ok && result.issues.length === 0) result.config = parsed.config;
  return result;
}

/** The `dataset` entry of a file that is not valid as a whole, when that entry is valid by itself. */
function datasetOf(text: string) {
  let value: unknown;
  try {
    value = parseYaml(text, { schema: 'core', maxAliasCount: 100 });
  } catch {
    return null;
  }
  const dataset = value && typeof value === 'object' ? (value as { dataset?: unknown }).dataset : undefined;
  const parsed = EvalConfigDatasetSchema.safeParse(dataset);
  return parsed.success ? parsed.data : null;
}

function readDatasetFile(
  root: string,
  datasetPath: string,
  format: 'csv' | 'jsonl' | undefined,
): { text: string } | { issue: EvalConfigIssue } {
  const issue = (message: string, at = 'dataset.path') => ({ issue: { path: at, message } });
  const where = `${datasetPath} (in ${root})`;
  const resolved = path.resolve(root, datasetPath);
  let real: string;
  let stat: fs.Stats;
  try {
    real = fs.realpathSync(resolved);
    stat = fs.statSync(real);
  } catch (err) {
    return issue(`${datasetPath}: ${reason(err)} (in ${root})`);
  }
  const realRoot = fs.realpathSync(root);
  if (real !== realRoot && !real.startsWith(`${realRoot}${path.sep}`))
    return issue(`${where} leads outside the repository root (a symbolic link?)`);
  if (!stat.isFile()) return issue(`${where} is not a file`);
  if (stat.size > MAX_CONFIG_DATASET_BYTES)
    return issue(`${datasetPath} has ${stat.size} bytes, more than the limit of ${MAX_CONFIG_DATASET_BYTES}`);
  if (!format && !DATASET_EXTENSIONS.has(path.extname(datasetPath).toLowerCase()))
    return issue(
      `cannot tell the format of ${datasetPath} from its extension: name it .csv or .jsonl, or set dataset.format`,
      'dataset.format',
    );
  const text = decodeUtf8(fs.readFileSync(real));
  if (text === null) return issue(`${datasetPath} is not UTF-8 text`);
  return { text };
}

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  return (err as Error).message;
}

/** `<file>: <path>: <message>` (no path part for an issue with the whole file). */
export function formatIssue(file: string, issue: EvalConfigIssue): string {
  return issue.path ? `${file}: ${issue.path}: ${issue.message}` : `${file}: ${issue.message}`;
}
