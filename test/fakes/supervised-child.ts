/**
 * A stand-in for a Node child of `npm start` (worker, API, model server, PostgreSQL runner) in the
 * supervisor's process tests: announces ready over IPC, stops on SIGTERM, stops when orphaned, and
 * appends what happens to it to FAKE_EVENTS ("ready worker 1234", "stopped worker 1234"…).
 */
import fs from 'node:fs';
import { announceReady, exitWhenParentDies } from '../../runtime/child-process.js';

const name = process.env.FAKE_NAME ?? 'child';
const event = (what: string) =>
  fs.appendFileSync(process.env.FAKE_EVENTS ?? '/dev/null', `${what} ${name} ${process.pid}\n`);
const ms = (key: string) => Number(process.env[key] ?? 0);

let stopping = false;
function stop(why: string) {
  if (stopping) return;
  stopping = true;
  event(why);
  setTimeout(() => {
    event('stopped');
    process.exit(0);
  }, ms('FAKE_STOP_MS'));
}
process.on('SIGTERM', () => stop('sigterm'));
// Never expected: children have process groups of their own, so a terminal's Ctrl-C is not theirs.
process.on('SIGINT', () => stop('sigint'));
exitWhenParentDies(() => stop('orphaned'), 200);

setTimeout(() => {
  event('ready');
  announceReady({ pid: process.pid });
  if (ms('FAKE_EXIT_AFTER_MS')) {
    setTimeout(() => {
      event('crashed');
      process.exit(3);
    }, ms('FAKE_EXIT_AFTER_MS'));
  }
}, ms('FAKE_READY_MS'));
setInterval(() => {}, 1 << 30);
