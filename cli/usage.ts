import { EXIT } from './exit-codes.js';

export const USAGE = `evalforge — run and inspect EvalForge evals from a terminal or CI

Usage:
  evalforge run --project <p> -c evalforge.yaml [options]
  evalforge run --project <p> --dataset <d> --endpoint <e> [options]
  evalforge validate [-c evalforge.yaml] [--json]
  evalforge comment --run <run> [--repo <owner/name>] [--pr <n>]
  evalforge projects list [--wide] [--json]
  evalforge datasets list [--project <p>] [--archived] [--wide] [--json]
  evalforge endpoints list --project <p> [--archived] [--wide] [--json]
  evalforge runs list [--project <p>] [--status <s>] [--branch <b>] [--limit <n>] [--wide] [--json]
  evalforge runs show <run> [--project <p>] [--json | --markdown]
  evalforge runs compare <baseline-run> <candidate-run> [--project <p>] [--samples <n>] [--json]
  evalforge datasets upload <file> --dataset <d> [--project <p>] [--format csv|json|jsonl]
                           [--mode append|replace]

Names or ids: a project (<p>) is its id or its name; a dataset (<d>) or endpoint (<e>) is its id, or its
  name within --project (an endpoint also by model name when none is named so); a run (<run>, --baseline)
  is its id, the start of its id as "runs list" shows it, or a branch (that branch's latest run). An
  unknown or ambiguous name is a usage error that lists the candidates. The start of an id also works for
  projects, datasets and endpoints.

run options:
  -c, --config <file>      run the eval this evalforge.yaml describes (prompts, endpoint, dataset, judges,
                           guardrails); a dataset path in it is read and sent along
  --root <dir>             repository root the config's dataset path is relative to
                           (default: the config file's directory)
  --wait                   wait for the run to finish; the exit code then reports its verdict
  --fail-on <gates>        with --wait: guardrail, regression, both (comma-separated) or none
                           (default: guardrail — a failed blocking guardrail fails the job)
  --timeout <seconds>      with --wait: give up after this long (default 3600) and cancel the run
  --no-cancel-on-timeout   with --wait: let the run go on after --timeout
  --dataset <d> --endpoint <e>
                           a run of a project dataset on a project endpoint (instead of -c)
  --dataset-version <n>    pin a dataset version (default: latest)
  --judges <a,b>           judges to run (default: the project's enabled guardrails)
  --baseline <run>         compare with this run (default: the base branch's latest run)
  --markdown               with --wait: print the report as Markdown (default: plain text)
  --repetitions <n>  --budget <usd>  --cache
  --sha <sha> --branch <name> --base-branch <name> --pr <n>
                           git context; read from GitHub Actions' environment when omitted
  --idempotency-key <key>  a retried command with the same key returns the same run
  (--dataset, --endpoint, --dataset-version, --judges, --repetitions and --cache come from the file with -c)

validate: checks an evalforge.yaml without a server (the schema, and that its dataset file exists under
  the root, is UTF-8 and under the size limit); prints "<file>: <path>: <message>" per problem.
  -c, --config <file>      the file (default evalforge.yaml)   --root <dir>  as for run

lists: aligned tables (ids shortened to 8 characters; -w, --wide shows them whole, and more columns);
  --json prints { items, total }. runs list: newest first, --limit (-n) runs (default 20), --status
  pending|running|completed|failed|cancelled|budget_exceeded. --archived includes archived datasets
  and endpoints.

runs show: the finished run's report as plain text (--markdown: as the Markdown the step summary gets).
runs compare: per judge baseline and candidate mean score, Δ, Holm-adjusted p, how many samples went
  pass→fail / fail→pass, verdict; then the --samples most regressed samples (default 5). --json: the
  API's comparison as it is.

comment: posts the run's report on the pull request as one comment, edited in place on later calls.
  Needs GITHUB_TOKEN (pull-requests: write); talks to GITHUB_API_URL (default https://api.github.com).
  --repo and --pr default to the GitHub Actions job's repository and pull request.

Everywhere:
  --url <url>              EvalForge server (env EVALFORGE_URL, default http://127.0.0.1:3000)
  --api-key <key>          API key (env EVALFORGE_API_KEY; prefer the variable: flags show in ps)
  --json                   machine-readable output on stdout (progress stays off)
  -h, --help               this text

With --wait, a Markdown summary is appended to $GITHUB_STEP_SUMMARY when it is set. As soon as a run
starts, "run-id=<id>" is appended to $GITHUB_OUTPUT when it is set.

Exit codes:
  ${EXIT.OK}  ok (run started; or finished and passed every --fail-on gate)
  ${EXIT.GATE_FAILED}  a gate failed: blocking guardrail, or regression with --fail-on regression
  ${EXIT.USAGE}  bad command line, or an evalforge.yaml that is not valid
  ${EXIT.API_ERROR}  the server refused the request (unknown id, invalid input, API key)
  ${EXIT.RUN_FAILED}  the run failed, was cancelled or ran over budget
  ${EXIT.UNAVAILABLE}  server unreachable or 5xx
  ${EXIT.TIMEOUT}  --wait timed out (the run is cancelled unless --no-cancel-on-timeout)
`;
