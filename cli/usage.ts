import { EXIT } from './exit-codes.js';

export const USAGE = `evalforge — run and inspect EvalForge evals from a terminal or CI

Usage:
  evalforge run --project <id> --dataset <id> --endpoint <id> [options]
  evalforge runs show <run-id> [--json]
  evalforge runs compare <run-id> <run-id> [--json]
  evalforge datasets upload <file> --dataset <id> [--format csv|json|jsonl] [--mode append|replace]

run options:
  --wait                   wait for the run to finish; the exit code then reports its verdict
  --fail-on <gates>        with --wait: guardrail, regression, both (comma-separated) or none
                           (default: guardrail — a failed blocking guardrail fails the job)
  --timeout <seconds>      with --wait: give up after this long (default 3600)
  --dataset-version <n>    pin a dataset version (default: latest)
  --judges <a,b>           judges to run (default: the project's enabled guardrails)
  --baseline <run-id>      compare with this run (default: the base branch's latest run)
  --repetitions <n>  --budget <usd>  --cache
  --sha <sha> --branch <name> --base-branch <name> --pr <n>
                           git context; read from GitHub Actions' environment when omitted
  --idempotency-key <key>  a retried command with the same key returns the same run

Everywhere:
  --url <url>              EvalForge server (env EVALFORGE_URL, default http://127.0.0.1:3000)
  --api-key <key>          API key (env EVALFORGE_API_KEY; prefer the variable: flags show in ps)
  --json                   machine-readable output on stdout (progress stays off)
  -h, --help               this text

With --wait, a Markdown summary is appended to $GITHUB_STEP_SUMMARY when it is set.

Exit codes:
  ${EXIT.OK}  ok (run started; or finished and passed every --fail-on gate)
  ${EXIT.GATE_FAILED}  a gate failed: blocking guardrail, or regression with --fail-on regression
  ${EXIT.USAGE}  bad command line
  ${EXIT.API_ERROR}  the server refused the request (unknown id, invalid input, API key)
  ${EXIT.RUN_FAILED}  the run failed, was cancelled or ran over budget
  ${EXIT.UNAVAILABLE}  server unreachable or 5xx
  ${EXIT.TIMEOUT}  --wait timed out (the run continues on the server)
`;
