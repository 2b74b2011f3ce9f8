import { A, createAsync, type RoutePreloadFuncArgs, revalidate, useAction, useParams } from '@solidjs/router';
import { createMemo, createSignal, For, Show } from 'solid-js';
import { cancelRun } from '../api/actions';
import { type Result, type Run, runExportUrl } from '../api/client';
import { getHealth, getLatencyHistogram, getProject, getRun, getRunResults } from '../api/queries';
import { StatusBadge } from '../components/Badges';
import { ConfirmDialog, Dialog } from '../components/Dialog';
import { GateBadge, GateSummary } from '../components/Gate';
import { GuardrailOutcomes } from '../components/GuardrailOutcomes';
import { LatencyHistogram } from '../components/LatencyHistogram';
import { ErrorBox, Loadable } from '../components/Loadable';
import { Pagination } from '../components/Pagination';
import { PassRateBars } from '../components/PassRateBars';
import { ProgressBar } from '../components/ProgressBar';
import { RegressionBanner } from '../components/RegressionBanner';
import { type ResultFilterState, ResultFilters } from '../components/ResultFilters';
import { ResultsTable } from '../components/ResultsTable';
import { SampleDetail } from '../components/SampleDetail';
import { ScoreHeatmap } from '../components/ScoreHeatmap';
import { latestOr } from '../lib/async';
import { downloadWithKey } from '../lib/download';
import { dateTime, deltaPct, int, ms, pct, shortId, usd } from '../lib/format';
import { createRunEvents, throttle } from '../lib/live-run';
import { demonstrationJudges, meanJudgePassRate, readSummary } from '../lib/summary';
import { temporalWorkflowUrl } from '../lib/temporal';

const OPEN_STATUSES = new Set(['pending', 'running']);
/** While a run is live, the table and charts refresh at most this often. */
const LIVE_REFRESH_MS = 1_500;
/** Bins asked of the latency histogram endpoint (it may use fewer). */
const LATENCY_BINS = 30;
const FIRST_RESULTS_PAGE = { offset: 0, limit: 50 };

function resultsQuery(f: ResultFilterState, offset: number, limit: number) {
  return {
    offset,
    limit,
    ...(f.status ? { status: f.status } : {}),
    ...(f.judge ? { judge: f.judge } : {}),
    ...(f.judge && f.passed ? { passed: f.passed } : {}),
    ...(f.category ? { category: f.category } : {}),
    ...(f.tag ? { tag: f.tag } : {}),
    ...(f.min_score !== undefined ? { min_score: f.min_score } : {}),
    ...(f.max_score !== undefined ? { max_score: f.max_score } : {}),
  };
}

export const preloadRun = ({ params }: RoutePreloadFuncArgs) => {
  const id = params.id!; // the route's :id
  void getRun(id)
    .then((run) => getProject(run.project_id))
    .catch(() => {});
  void getRunResults(id, resultsQuery({}, FIRST_RESULTS_PAGE.offset, FIRST_RESULTS_PAGE.limit));
  void getLatencyHistogram(id, LATENCY_BINS);
  void getHealth();
};

/** The mean of the judges' pass rates, against the baseline's: a figure, the verdict is the gate's. */
function MeanPassRate(props: { run: Run; baseline: Run | undefined }) {
  const mean = () => meanJudgePassRate(readSummary(props.run.summary));
  const delta = () => {
    const m = mean();
    const b = props.baseline ? meanJudgePassRate(readSummary(props.baseline.summary)) : null;
    return m !== null && b !== null ? m - b : null;
  };
  return (
    <Show when={mean() !== null}>
      <p class="muted">
        Mean judge pass rate: {pct(mean())}
        <Show when={delta() !== null}>
          {' '}
          ({delta()! >= 0 ? '▲' : '▼'} {deltaPct(delta()).replace(/^[+−±]/, '')} vs{' '}
          <A href={`/runs/${props.run.baseline_run_id}`}>
            baseline {shortId(props.run.baseline_run_id ?? '')}
          </A>
          )
        </Show>
      </p>
    </Show>
  );
}

function RunHeader(props: { run: Run }) {
  const summary = () => readSummary(props.run.summary);
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
      <section class="panel" aria-label="Pass rates">
        <MeanPassRate run={props.run} baseline={latestOr(baseline)} />
        <PassRateBars judges={summary().judges ?? {}} />
        <RegressionBanner
          regressions={summary().regressions?.judges}
          demonstrations={demonstrationJudges(summary())}
        />
        <Show when={summary().guardrails?.length}>
          <h3>Guardrails</h3>
          <GuardrailOutcomes guardrails={summary().guardrails ?? []} />
        </Show>
      </section>
    </>
  );
}

function RunFacts(props: { run: Run }) {
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
        <div class="label">Latency p50 / p95</div>
        <div class="value">
          {ms(s().latency_ms?.p50)} / {ms(s().latency_ms?.p95)}
        </div>
        <div class="sub">mean {ms(s().latency_ms?.mean)}</div>
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
  const [filter, setFilterState] = createSignal<ResultFilterState>({});
  const [page, setPage] = createSignal(FIRST_RESULTS_PAGE);
  const setFilter = (f: ResultFilterState) => {
    setFilterState(f);
    setPage((p) => ({ ...p, offset: 0 }));
  };
  const results = createAsync(() =>
    getRunResults(runId(), resultsQuery(filter(), page().offset, page().limit)),
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
    onResult: refreshLive,
    onDone: () => void revalidate([getRun.keyFor(runId()), getRunResults.key, getLatencyHistogram.key]),
  });

  const judges = createMemo(() => {
    const names = new Set<string>(Object.keys(readSummary(props.run.summary).judges ?? {}));
    const configured = props.run.config.judges;
    if (Array.isArray(configured)) for (const j of configured) names.add(String(j));
    for (const r of latestOr(results)?.items ?? []) for (const s of r.scores) names.add(s.judge_type);
    return [...names].sort();
  });

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
      <RunHeader run={props.run} />
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
          <ProgressBar
            done={events.progress()?.done ?? 0}
            total={events.progress()?.total || props.run.total_samples}
            label="Samples done"
          />
          <p class="muted" aria-live="polite" data-testid="progress-text">
            {events.progress()?.phase ?? props.run.status}: {events.progress()?.done ?? 0} of{' '}
            {events.progress()?.total || props.run.total_samples} samples
            {events.progress()?.failed ? ` · ${events.progress()?.failed} failed` : ''}
            {events.progress()?.judgeErrors ? ` · ${events.progress()?.judgeErrors} judge errors` : ''}
          </p>
          <Show when={cancelState().error}>
            <ErrorBox error={cancelState().error} title="Could not cancel" />
          </Show>
        </section>
      </Show>
      <RunFacts run={props.run} />
      <section class="panel" aria-labelledby="results-h">
        <div class="panel-head">
          <h2 id="results-h">Sample results</h2>
        </div>
        <ResultFilters value={filter()} judges={judges()} onChange={setFilter} />
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
      <div class="grid-2">
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
      </div>
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
  return (
    <Loadable data={run} label="run" retry={() => revalidate(getRun.keyFor(params.id))}>
      {(r) => <RunView run={r()} />}
    </Loadable>
  );
}
