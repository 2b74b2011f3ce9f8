/**
 * Exit codes of `evalforge`, stable for CI scripts (documented in the README and in `--help`).
 * Anything but 0 fails a CI step; scripts can tell a failed gate (1) from an infrastructure problem (5).
 */
export const EXIT = {
  /** Done: run started, or (with --wait) finished and passed every --fail-on gate. */
  OK: 0,
  /** --wait: the run finished but a gate failed (blocking guardrail, or regression with --fail-on regression). */
  GATE_FAILED: 1,
  /** Bad command line, or an evalforge.yaml that is not valid. */
  USAGE: 2,
  /** The server refused the request (4xx: unknown id, invalid input, missing or wrong API key). */
  API_ERROR: 3,
  /** Not evaluated: the run ended failed, cancelled or over budget, or measured nothing (no output, a blocking
   * guardrail with no scores). */
  RUN_FAILED: 4,
  /** The server was unreachable or answered 5xx (after retries). */
  UNAVAILABLE: 5,
  /** --wait gave up after --timeout; the run is cancelled, or goes on with --no-cancel-on-timeout. */
  TIMEOUT: 6,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
