/** `npm start`: the whole of EvalForge on one machine, on embedded defaults. */

import { createLogger } from '../lib/logger.js';
import { loadConfigOrExit } from '../runtime/config.js';
import { startStack } from '../runtime/supervisor.js';
import { TemporalCliMissingError } from '../runtime/temporal-cli.js';

const config = loadConfigOrExit({ EVALFORGE_MODE: 'dev', ...process.env });
const logger = createLogger('supervisor', config.LOG_LEVEL);

// Signals during start-up abort it (stopping what already started); after, they stop the stack.
const startup = new AbortController();
let stack: Awaited<ReturnType<typeof startStack>> | undefined;
let signals = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    signals += 1;
    if (signals > 1) {
      logger.warn('second signal: still stopping cleanly, please wait');
      return;
    }
    logger.info({ signal }, 'shutting down');
    if (stack) void stack.stop();
    else startup.abort(new Error(`${signal} during start-up`));
  });
}

try {
  stack = await startStack(config, logger, startup.signal);
} catch (err) {
  if (startup.signal.aborted) {
    logger.info('start-up aborted; everything started so far is stopped');
    process.exit(0);
  }
  if (err instanceof TemporalCliMissingError) console.error(err.message);
  else logger.error({ err }, 'could not start');
  process.exit(1);
}

const { info } = stack;
logger.info(info, 'EvalForge is up');
console.log(
  [
    '',
    `  EvalForge API + dashboard  ${info.apiUrl}`,
    `  API docs                   ${info.apiUrl}/docs`,
    `  Temporal UI                ${info.temporalUiUrl ?? `(external Temporal at ${info.temporalAddress})`}`,
    '  Stop with Ctrl-C.',
    '',
  ].join('\n'),
);
process.exit(await stack.done);
