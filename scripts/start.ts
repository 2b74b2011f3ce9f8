/**
 * `npm start`: the whole of EvalForge on one machine, on embedded defaults.
 * Ctrl-C, SIGTERM or SIGHUP (to this process, or to npm: see watchParent) stops everything in order.
 */

import { createLogger } from '../lib/logger.js';
import { loadConfigOrExit } from '../runtime/config.js';
import { runUntilStopped, startStack } from '../runtime/supervisor.js';
import { TemporalCliMissingError } from '../runtime/temporal-cli.js';

const config = loadConfigOrExit({ EVALFORGE_MODE: 'dev', ...process.env });
const logger = createLogger('supervisor', config.LOG_LEVEL);

const code = await runUntilStopped({
  logger,
  start: (signal) => startStack(config, logger, signal),
  onStartError: (err) => {
    if (err instanceof TemporalCliMissingError) console.error(err.message);
    else logger.error({ err }, 'could not start');
  },
  onUp: ({ info }) => {
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
  },
});
process.exit(code);
