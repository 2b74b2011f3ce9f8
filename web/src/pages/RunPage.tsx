import {
  A,
  createAsync,
  type RoutePreloadFuncArgs,
  revalidate,
  useAction,
  useParams,
  useSearchParams,
} from '@solidjs/router';
import { createMemo, createSignal, For, Show } from 'solid-js';
import { cancelRun } from '../api/actions';
import { type Result, type Run, runExportUrl } from '../api/client';
import { getHealth, getLatencyHistogram, getProject, getRun, getRunResults } from '../api/queries';
import { StatusBadge } from '../components/Badges';
import { ConfirmDialog, Dialog } from '../components/Dialog';
import { GateBadge, GateSummary } from '../components/Gate';
import { GuardrailOutcomes } from '../components/GuardrailOutcomes';
import type { LatencyHistogramData } from '../components/LatencyHistogram';
import { LatencyHistogram } from '../components/LatencyHistogram';
import { ErrorBox, Loadable } from '../components/Loadable';
import { Pagination } from '../components/Pagination';
import { PassRateBars } from '../components/PassRateBars';
import { ProgressBar } from '../components/ProgressBar';
import { RegressionBanner } from '../components/RegressionBanner';
import { parseResultSort, type ResultFilterState, ResultFilters } from '../components/ResultFilters';
import { ResultsTable } from '../components/ResultsTable';
import { RunIdentity } from '../components/RunIdentity';
import { ReviewAgreement } from '../components/review/ReviewAgreement';
import { SampleDetail } from '../components/SampleDetail';
import { ScoreHeatmap } from '../components/ScoreHeatmap';
import { latestOr } from '../lib/async';
import { downloadWithKey } from '../lib/download';
import { dateTime, deltaPct, int, judgeLabel, ms, shortId, usd } from '../lib/format';
import { createRunEvents, throttle } from '../lib/live-run';
import { progressView } from '../lib/progress';
import { demonstrationJudges, judgesFromResults, readSummary } from '../lib/summary';
import { temporalWorkflowUrl } from '../lib/temporal';
import { usePageTitle } from '../lib/title';

const OPEN_STATUSES = new Set(['pending', 'running']);
/** While a run is live, the table and charts refresh at most this often. */
const LIVE_REFRESH_MS = 1_500;
/** Bins asked of the latency histogram endpoint (it may use fewer). */
const LATENCY_BINS = 30;
const FIRST_RESULTS_PAGE = { offset: 0, limit: 50 };

function resultsQuery(f: ResultFilterState, sort: string | undefined, offset: number, limit: number) {
  return {
    offset,
    limit,
    ...(sort ? { sort } : {}),
    ...(f.status ? { status: f.status } : {}),
    ...(f.judge ? { judge: f.judge } : {}),
    ...(f.judge && f.passed ? { passed: f.passed } : {}),
    ...(f.category ? { category: f.category } : {}),
    ...(f.tag ? { tag: f.tag } : {}),
    ...(f.min_score !== undefined ? { min_score: f.min_score } : {}),
    ...(f.max_score !== undefined ? { max_score: f.max_score } : {}),
  };
}

/** The results view in the URL (filters, sort and page), so that a link shares what it shows. */
type RunSearch = {
  sort?: string;
  status?: string;
  judge?: string;
  passed?: string;
  category?: string;
  tag?: string;
  min_score?: string;
  max_score?: string;
  offset?: string;
  limit?: string;
};

const num = (v: string | undefined) => {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
};

export function filterFromSearch(q: RunSearch): ResultFilterState {
  const f: ResultFilterState = {};
  if (q.status === 'succeeded' || q.status === 'failed') f.status = q.status;
  if (q.judge) f.judge = q.judge;
  if (q.judge && (q.passed === 'true' || q.passed === 'false')) f.passed = q.passed;
  if (q.category) f.category = q.category;
  if (q.tag) f.tag = q.tag;
  const min = num(q.min_score);
  const max = num(q.max_score);
  if (min !== undefined) f.min_score = Math.min(1, Math.max(0, min));
  if (max !== undefined) f.max_score = Math.min(1, Math.max(0, max));
  return f;
}

export function pageFromSearch(q: RunSearch) {
  const offset = Math.max(0, Math.floor(num(q.offset) ?? FIRST_RESULTS_PAGE.offset));
  const limit = Math.min(500, Math.max(1, Math.floor(num(q.limit) ?? FIRST_RESULTS_PAGE.limit)));
  return { offset, limit };
}

/** Search params for a filter: every key present, unset ones undefined (which removes them). */
function filterToSearch(f: ResultFilterState): RunSearch {
  return {
    status: f.status,
    judge: f.judge,
    passed: f.passed,
    category: f.category,
    tag: f.tag,
    min_score: f.min_score !== undefined ? String(f.min_score) : undefined,
    max_score: f.max_score !== undefined ? String(f.max_score) : undefined,
  };
}

export const preloadRun = ({ params, location }: RoutePreloadFuncArgs) => {
  const id = params.id!; // the route's :id
  const q = location.query as RunSearch;
  const page = pageFromSearch(q);
  void getRun(id)
    .then((run) => getProject(run.project_id))
    .catch(() => {});
  void getRunResults(id, resultsQuery(filterFromSearch(q), parseResultSort(q.sort), page.offset, page.limit));
  void getLatencyHistogram(id, LATENCY_BINS);
  void getHealth();
};

/** Each judge's pass rate against the baseline's: per judge, never averaged into one figure. */
function BaselineChanges(props: { run: Run; baseline: Run | undefined }) {
  const rows = () => {
    const mine = readSummary(props.run.summary).judges ?? {};
    const theirs = props.baseline ? (readSummary(props.baseline.summary).judges ?? {}) : {};
    return Object.keys(mine)
      .sort()
      .flatMap((judge) => {
        const a = theirs[judge]?.pass_rate;
        const b = mine[judge]?.pass_rate;
        return a !== null && a !== undefined && b !== null && b !== undefined
          ? [{ judge, delta: b - a }]
          : [];
      });
  };
  return (
    <Show when={props.baseline && rows().length}>
      <p class="muted" data-testid="baseline-changes">
        Pass rate change vs{' '}
        <A href={`/runs/${props.run.baseline_run_id}`}>baseline {shortId(props.run.baseline_run_id ?? '')}</A>
        :{' '}
        <For each={rows()}>
          {(r, i) => (
            <>
              {i() > 0 ? ' · ' : ''}
              {judgeLabel(r.judge)}{' '}
              <span classList={{ 'delta-down': r.delta < -1e-9, 'delta-up': r.delta > 1e-9 }}>
                {deltaPct(r.delta)}
              </span>
            </>
          )}
        </For>
      </p>
    </Show>
  );
}

function RunHeader(props: { run: Run; results: Result[] | undefined }) {
  const summary = () => readSummary(props.run.summary);
  const finished = () => !OPEN_STATUSES.has(props.run.status);
  // A finished run's summary holds its judges; one without (older or failed before summarizing) shows
  // what its results say when the page holds all of them.
  const judgeRates = () => {
    const own = summary().judges ?? {};
    return Object.keys(own).length || !props.results ? own : judgesFromResults(props.results);
  };
  const noJudgesText = () =>
    !finished()
      ? 'No judge scores yet.'
      : Array.isArray(props.run.config.judges) && props.run.config.judges.length === 0
        ? 'No judges were configured for this run.'
        : 'This run has no judge scores.';
  const project = createAsync(() => getProject(props.run.project_id));
  // The baseline only adds a figure: without it (deleted, no access) the page goes on.
  const baseline = createAsync(async () =>
    props.run.baseline_run_id ? getRun(props.run.baseline_run_id).catch(() => undefined) : undefined,
  );
  const health = createAsync(() => getHealth());
  const temporalUrl = () => temporalWorkflowUrl(latestOr(health), props.run.workflow_id);
  return (
    <>
      <p class="crumbs">
        <A href="/">Projects</A> /{' '}
        <A href={`/projects/${props.run.project_id}`}>{latestOr(project)?.name ?? 'Project'}</A> /
      </p>
      <h1>
        Run {shortId(props.run.id)} <StatusBadge status={props.run.status} />{' '}
        <GateBadge gate={props.run.gate} />
      </h1>
      <p>
        <RunIdentity run={props.run} />
      </p>
      <p class="muted">
        {props.run.trigger_type ?? 'run'} · created {dateTime(props.run.created_at)}
        {props.run.completed_at ? ` · finished ${dateTime(props.run.completed_at)}` : ''}
        {props.run.git_branch ? ` · ${props.run.git_branch}` : ''}
        {props.run.git_commit_sha ? ` @ ${props.run.git_commit_sha.slice(0, 7)}` : ''}
        {props.run.pr_number ? ` · PR #${props.run.pr_number}` : ''}
        {props.run.repetitions > 1 ? ` · ${props.run.repetitions} repetitions` : ''}
      </p>
      <p class="toolbar">
        <For each={['csv', 'json'] as const}>
          {(format) => (
            <a
              class="button secondary"
              href={runExportUrl(props.run.id, format)}
              download={`run-${props.run.id}.${format}`}
              onClick={(e) =>
                downloadWithKey(e, runExportUrl(props.run.id, format), `run-${props.run.id}.${format}`)
              }
            >
              Export {format.toUpperCase()}
            </a>
          )}
        </For>
        <Show when={props.run.baseline_run_id}>
          <A
            class="button secondary"
            href={`/compare?project=${props.run.project_id}&a=${props.run.baseline_run_id}&b=${props.run.id}`}
          >
            Compare with baseline
          </A>
        </Show>
        <Show when={temporalUrl()}>
          {(url) => (
            <a class="button secondary" href={url()} target="_blank" rel="noopener noreferrer">
              Temporal workflow ↗
            </a>
          )}
        </Show>
      </p>
      <Show when={props.run.error}>
        <div class="banner banner-fail" role="alert">
          <strong>Run error:</strong> {props.run.error}
        </div>
      </Show>
      <GateSummary gate={props.run.gate} />
      <section class="panel" aria-labelledby="judges-h">
        <h2 id="judges-h">Judges</h2>
        <BaselineChanges run={props.run} baseline={latestOr(baseline)} />
        <PassRateBars judges={judgeRates()} empty={noJudgesText()} />
        <RegressionBanner
          regressions={summary().regressions?.judges}
          demonstrations={demonstrationJudges(summary())}
        />
        <Show when={summary().guardrails?.length}>
          <h3>Guardrails</h3>
          <GuardrailOutcomes guardrails={summary().guardrails ?? []} />
        </Show>
        {/* Next to the judges' pass rates: how often people reviewing results agree with each judge. */}
        <ReviewAgreement runId={props.run.id} />
      </section>
    </>
  );
}

function RunFacts(props: { run: Run; latency: LatencyHistogramData | undefined }) {
  const s = () => readSummary(props.run.summary);
  return (
    <div class="cards">
      <div class="card">
        <div class="label">Samples</div>
        <div class="value">{int(s().samples?.total ?? props.run.total_samples)}</div>
        <div class="sub">
          {s().samples
            ? `${s().samples?.succeeded} ok · ${s().samples?.failed} failed · ${s().samples?.cached} cached`
            : 'planned'}
        </div>
      </div>
      <div class="card">
        {/* The same numbers as the latency histogram: both come from its endpoint. */}
        <div class="label">Latency p50 / p95</div>
        <div class="value" data-testid="latency-card">
          {ms(props.latency?.p50_ms)} / {ms(props.latency?.p95_ms)}
        </div>
        <div class="sub">
          {props.latency
            ? `${int(props.latency.count)} succeeded results · max ${ms(props.latency.max_ms)}`
            : 'loading…'}
        </div>
      </div>
      <div class="card">
        <div class="label">Tokens in / out</div>
        <div class="value">
          {int(s().tokens?.input ?? props.run.input_tokens)} /{' '}
          {int(s().tokens?.output ?? props.run.output_tokens)}
        </div>
      </div>
      <div class="card">
        <div class="label">Cost</div>
        <div class="value">{usd(s().cost_usd?.total ?? props.run.cost_usd + props.run.judge_cost_usd)}</div>
        <div class="sub">
          model {usd(s().cost_usd?.generation ?? props.run.cost_usd)} · judges{' '}
          {usd(s().cost_usd?.judges ?? props.run.judge_cost_usd)}
          {props.run.budget_usd !== null ? ` · budget ${usd(props.run.budget_usd)}` : ''}
        </div>
      </div>
    </div>
  );
}

/** Everything below the loaded run; `run` follows its query (reloads and the live run's end). */
function RunView(props: { run: Run }) {
  const runId = () => props.run.id;
  const [search, setSearch] = useSearchParams<RunSearch>();
  const filter = createMemo(() => filterFromSearch(search), undefined, {
    equals: (a, b) => JSON.stringify(a) === JSON.stringify(b),
  });
  const page = createMemo(() => pageFromSearch(search), undefined, {
    equals: (a, b) => a.offset === b.offset && a.limit === b.limit,
  });
  const sort = () => parseResultSort(search.sort);
  const setFilter = (f: ResultFilterState) => setSearch({ ...filterToSearch(f), offset: undefined });
  // Another order is another view: it starts at its first page.
  const setSort = (s: string | undefined) => setSearch({ sort: s, offset: undefined });
  const setPage = (p: { offset: number; limit: number }) =>
    setSearch({
      offset: p.offset ? String(p.offset) : undefined,
      limit: p.limit !== FIRST_RESULTS_PAGE.limit ? String(p.limit) : undefined,
    });
  // Results seen stored (the event stream sends each once per connection): the progress never shows fewer.
  const [storedIds, setStoredIds] = createSignal<ReadonlySet<string>>(new Set());
  const results = createAsync(() =>
    getRunResults(runId(), resultsQuery(filter(), sort(), page().offset, page().limit)),
  );
  const latency = createAsync(() => getLatencyHistogram(runId(), LATENCY_BINS));
  const reloadResults = () => revalidate([getRunResults.key, getLatencyHistogram.key]);
  const [opened, setOpened] = createSignal<Result | null>(null);
  const [confirmingCancel, setConfirmingCancel] = createSignal(false);
  const [cancelState, setCancelState] = createSignal<{ busy: boolean; error?: unknown; requested?: boolean }>(
    {
      busy: false,
    },
  );
  const cancelAction = useAction(cancelRun);

  const live = () => OPEN_STATUSES.has(props.run.status);
  const refreshLive = throttle(() => void reloadResults(), LIVE_REFRESH_MS);
  const events = createRunEvents(runId, live, {
    onResult: (r) => {
      if (!storedIds().has(r.id)) setStoredIds((ids) => new Set([...ids, r.id]));
      refreshLive();
    },
    onDone: () => void revalidate([getRun.keyFor(runId()), getRunResults.key, getLatencyHistogram.key]),
  });

  /** The whole run's results when the current page holds all of them (no filter, one page). */
  const allResults = () => {
    const r = latestOr(results);
    return r && r.items.length === r.total ? r.items : undefined;
  };
  const judges = createMemo(() => {
    const names = new Set<string>(Object.keys(readSummary(props.run.summary).judges ?? {}));
    const configured = props.run.config.judges;
    if (Array.isArray(configured)) for (const j of configured) names.add(String(j));
    for (const r of latestOr(results)?.items ?? []) for (const s of r.scores) names.add(s.judge_type);
    return [...names].sort();
  });

  const unfiltered = () => Object.keys(filter()).length === 0;
  const progress = createMemo(() =>
    progressView(
      events.progress(),
      props.run,
      Math.max(storedIds().size, unfiltered() ? (latestOr(results)?.total ?? 0) : 0),
    ),
  );

  const cancel = async () => {
    setConfirmingCancel(false);
    setCancelState({ busy: true });
    try {
      await cancelAction(runId());
      setCancelState({ busy: false, requested: true });
    } catch (error) {
      setCancelState({ busy: false, error });
      // It may have finished meanwhile: show what it is now.
      void revalidate(getRun.keyFor(runId()));
    }
  };

  return (
    <>
      <RunHeader run={props.run} results={unfiltered() && page().offset === 0 ? allResults() : undefined} />
      <Show when={live()}>
        <section class="panel" aria-label="Live progress">
          <div class="panel-head">
            <h2>
              In progress{' '}
              <span class="muted" aria-live="polite">
                {events.connected() ? '· live' : '· connecting…'}
              </span>
            </h2>
            <button
              type="button"
              class="danger"
              disabled={cancelState().busy || cancelState().requested}
              onClick={() => setConfirmingCancel(true)}
            >
              {cancelState().requested ? 'Cancelling…' : 'Cancel run'}
            </button>
          </div>
          <ProgressBar done={progress().done} total={progress().total} label="Samples done" />
          <p class="muted" aria-live="polite" data-testid="progress-text">
            {progress().text}
          </p>
          <Show when={cancelState().error}>
            <ErrorBox error={cancelState().error} title="Could not cancel" />
          </Show>
        </section>
      </Show>
      <RunFacts run={props.run} latency={latestOr(latency)} />
      <section class="panel" aria-labelledby="results-h">
        <div class="panel-head">
          <h2 id="results-h">Sample results</h2>
        </div>
        <ResultFilters
          value={filter()}
          judges={judges()}
          onChange={setFilter}
          sort={sort()}
          onSort={setSort}
        />
        <Loadable data={results} label="results" retry={reloadResults}>
          {(data) => (
            <>
              <ResultsTable results={data().items} judges={judges()} onOpen={setOpened} />
              <Pagination
                offset={data().offset}
                limit={data().limit}
                total={data().total}
                onChange={setPage}
                label="Result pages"
              />
            </>
          )}
        </Loadable>
      </section>
      <section class="panel" aria-labelledby="heatmap-h">
        <h2 id="heatmap-h">Scores: samples × judges</h2>
        <Loadable data={results} label="scores">
          {(data) => (
            <ScoreHeatmap results={data().items} scope={{ offset: data().offset, total: data().total }} />
          )}
        </Loadable>
      </section>
      <section class="panel" aria-labelledby="latency-h">
        <h2 id="latency-h">Latency</h2>
        <Loadable data={latency} label="latencies" retry={reloadResults}>
          {(h) => <LatencyHistogram histogram={h()} />}
        </Loadable>
      </section>
      <Show when={confirmingCancel()}>
        <ConfirmDialog
          title="Cancel this run?"
          confirmLabel="Cancel run"
          cancelLabel="Keep running"
          onConfirm={cancel}
          onClose={() => setConfirmingCancel(false)}
        >
          <p>
            New samples stop; the results already produced are kept and the run ends as{' '}
            <strong>cancelled</strong>.
          </p>
        </ConfirmDialog>
      </Show>
      <Show when={opened()}>
        {(res) => (
          <Dialog title={`Sample ${res().sample_key}`} onClose={() => setOpened(null)}>
            <SampleDetail result={res()} />
          </Dialog>
        )}
      </Show>
    </>
  );
}

export function RunPage() {
  const params = useParams<{ id: string }>();
  const run = createAsync(() => getRun(params.id));
  usePageTitle(() => `Run ${shortId(params.id)}`);
  return (
    <Loadable data={run} label="run" retry={() => revalidate(getRun.keyFor(params.id))}>
      {(r) => <RunView run={r()} />}
    </Loadable>
  );
}
