/** `evalforge` command line: parses the command, runs it, exits with a code CI can act on. */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { commentCommand } from './commands/comment.js';
import { datasetsUpload } from './commands/datasets.js';
import { datasetsList, endpointsList, projectsList, runsList } from './commands/list.js';
import { runCommand } from './commands/run.js';
import { runsCompare, runsShow } from './commands/runs.js';
import { validateCommand } from './commands/validate.js';
import { createContext } from './context.js';
import { CliError, EXIT } from './exit-codes.js';
import { usageError } from './flags.js';
import { USAGE } from './usage.js';

const GLOBAL_OPTIONS = {
  url: { type: 'string' },
  'api-key': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

const RUN_OPTIONS = {
  project: { type: 'string' },
  config: { type: 'string', short: 'c' },
  root: { type: 'string' },
  dataset: { type: 'string' },
  endpoint: { type: 'string' },
  'dataset-version': { type: 'string' },
  judges: { type: 'string' },
  baseline: { type: 'string' },
  repetitions: { type: 'string' },
  budget: { type: 'string' },
  cache: { type: 'boolean' },
  sha: { type: 'string' },
  branch: { type: 'string' },
  'base-branch': { type: 'string' },
  pr: { type: 'string' },
  'idempotency-key': { type: 'string' },
  wait: { type: 'boolean' },
  'fail-on': { type: 'string', multiple: true },
  timeout: { type: 'string' },
  'poll-interval': { type: 'string' },
  'no-cancel-on-timeout': { type: 'boolean' },
  markdown: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

const VALIDATE_OPTIONS = {
  config: { type: 'string', short: 'c' },
  root: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

const COMMENT_OPTIONS = {
  repo: { type: 'string' },
  pr: { type: 'string' },
  run: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

const UPLOAD_OPTIONS = {
  dataset: { type: 'string' },
  project: { type: 'string' },
  format: { type: 'string' },
  mode: { type: 'string' },
  'base-version': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

const LIST_OPTIONS = {
  project: { type: 'string' },
  wide: { type: 'boolean', short: 'w' },
  archived: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

const RUNS_LIST_OPTIONS = {
  project: { type: 'string' },
  wide: { type: 'boolean', short: 'w' },
  status: { type: 'string' },
  branch: { type: 'string' },
  limit: { type: 'string', short: 'n' },
} as const satisfies ParseArgsConfig['options'];

const RUNS_SHOW_OPTIONS = {
  project: { type: 'string' },
  markdown: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

const RUNS_COMPARE_OPTIONS = {
  project: { type: 'string' },
  samples: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

const LISTS = {
  projects: projectsList,
  datasets: datasetsList,
  endpoints: endpointsList,
} as const;

export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

function parse<O extends ParseArgsConfig['options']>(args: string[], options: O) {
  try {
    return parseArgs({
      args,
      options: { ...GLOBAL_OPTIONS, ...options },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new CliError(`${(err as Error).message}\nRun "evalforge --help" for usage.`, EXIT.USAGE);
  }
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, sub] = argv;
  try {
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      io.stdout.write(USAGE);
      return command ? EXIT.OK : EXIT.USAGE;
    }
    if (command === 'run') {
      const { values } = parse(argv.slice(1), RUN_OPTIONS);
      if (values.help) return help(io);
      return await runCommand(createContext(values, io), values);
    }
    if (command === 'validate') {
      const { values, positionals } = parse(argv.slice(1), VALIDATE_OPTIONS);
      if (values.help) return help(io);
      return await validateCommand(createContext(values, io), positionals, values);
    }
    if (command === 'comment') {
      const { values, positionals } = parse(argv.slice(1), COMMENT_OPTIONS);
      if (values.help) return help(io);
      if (positionals.length)
        throw usageError('usage: evalforge comment --run <run-id> [--repo owner/name] [--pr n]');
      return await commentCommand(createContext(values, io), values);
    }
    if (command === 'runs' && sub === 'show') {
      const { values, positionals } = parse(argv.slice(2), RUNS_SHOW_OPTIONS);
      if (values.help) return help(io);
      return await runsShow(createContext(values, io), positionals, values);
    }
    if (command === 'runs' && sub === 'compare') {
      const { values, positionals } = parse(argv.slice(2), RUNS_COMPARE_OPTIONS);
      if (values.help) return help(io);
      return await runsCompare(createContext(values, io), positionals, values);
    }
    if (command === 'runs' && (sub === 'list' || sub === 'ls')) {
      const { values, positionals } = parse(argv.slice(2), RUNS_LIST_OPTIONS);
      if (values.help) return help(io);
      if (positionals.length) throw usageError(`runs list takes no arguments, not "${positionals[0]}"`);
      return await runsList(createContext(values, io), values);
    }
    if (Object.hasOwn(LISTS, command) && (sub === 'list' || sub === 'ls')) {
      const { values, positionals } = parse(argv.slice(2), LIST_OPTIONS);
      if (values.help) return help(io);
      if (positionals.length) throw usageError(`${command} list takes no arguments, not "${positionals[0]}"`);
      if (command === 'projects' && values.project) throw usageError('projects list takes no --project');
      return await LISTS[command as keyof typeof LISTS](createContext(values, io), values);
    }
    if (command === 'datasets' && sub === 'upload') {
      const { values, positionals } = parse(argv.slice(2), UPLOAD_OPTIONS);
      if (values.help) return help(io);
      return await datasetsUpload(createContext(values, io), positionals, values);
    }
    throw new CliError(
      `unknown command: ${argv.slice(0, 2).join(' ')}\nRun "evalforge --help" for usage.`,
      EXIT.USAGE,
    );
  } catch (err) {
    if (err instanceof CliError) {
      io.stderr.write(`evalforge: ${err.message}\n`);
      return err.exitCode;
    }
    io.stderr.write(`evalforge: unexpected error: ${(err as Error).stack ?? err}\n`);
    return EXIT.UNAVAILABLE;
  }
}

function help(io: CliIo) {
  io.stdout.write(USAGE);
  return EXIT.OK;
}
