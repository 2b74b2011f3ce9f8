/** What every command gets: the API client, output streams, environment, global flags. */
import { ApiClient } from './api-client.js';

export const DEFAULT_URL = 'http://127.0.0.1:3000';

export interface CliContext {
  api: ApiClient;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  json: boolean;
}

export function createContext(
  flags: { url?: string; 'api-key'?: string; json?: boolean },
  io: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream; env: NodeJS.ProcessEnv },
): CliContext {
  const baseUrl = flags.url ?? io.env.EVALFORGE_URL ?? DEFAULT_URL;
  const apiKey = flags['api-key'] ?? io.env.EVALFORGE_API_KEY;
  return { api: new ApiClient({ baseUrl, apiKey }), ...io, json: flags.json ?? false };
}

export const print = (ctx: CliContext, text: string) =>
  ctx.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
export const printJson = (ctx: CliContext, value: unknown) =>
  ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
export const note = (ctx: CliContext, text: string) => ctx.stderr.write(`evalforge: ${text}\n`);
