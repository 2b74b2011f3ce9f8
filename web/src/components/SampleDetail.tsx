import { useParams } from '@solidjs/router';
import { For, Show } from 'solid-js';
import type { Result } from '../api/client';
import { int, judgeLabel, ms, score, usd } from '../lib/format';
import { PassBadge } from './Badges';
import { JudgeDetails } from './JudgeDetails';
import { LongText } from './LongText';
import { ReviewControl } from './review/ReviewControl';

/**
 * Everything about one result: texts in full, generation facts, every judge's details, and its human
 * review. `runId`: the result's run; default the route's `:id` (the run page).
 */
export function SampleDetail(props: { result: Result; runId?: string }) {
  const r = () => props.result;
  const params = useParams<{ id?: string }>();
  const runId = () => props.runId ?? params.id;
  return (
    <div class="sample-detail">
      <section>
        <h3>Input</h3>
        <LongText text={r().input_text} whole />
      </section>
      <Show when={r().reference_output}>
        <section>
          <h3>Reference</h3>
          <LongText text={r().reference_output} whole />
        </section>
      </Show>
      <section>
        <h3>Model output</h3>
        <Show
          when={r().status === 'succeeded'}
          fallback={<p class="error-text">Model call failed: {r().error}</p>}
        >
          <LongText text={r().llm_output} limit={2_000} label="model output" />
        </Show>
      </section>
      <section>
        <h3>Generation</h3>
        <dl class="facts">
          <dt>Latency</dt>
          <dd>{ms(r().latency_ms)}</dd>
          <dt>Tokens in / out</dt>
          <dd>
            {int(r().token_count_input)} / {int(r().token_count_output)}
          </dd>
          <dt>Cost</dt>
          <dd>{usd(r().cost_usd)}</dd>
          <dt>Attempts</dt>
          <dd>{r().attempts}</dd>
          <dt>Cached</dt>
          <dd>{r().cached ? 'yes' : 'no'}</dd>
          <dt>Finish reason</dt>
          <dd>{r().finish_reason ?? '–'}</dd>
        </dl>
        <Show when={Object.keys(r().metadata).length}>
          <h4>Metadata</h4>
          <JudgeDetails details={r().metadata} />
        </Show>
      </section>
      <section>
        <h3>Judges</h3>
        <For each={r().scores} fallback={<p class="muted">Not judged yet.</p>}>
          {(s) => (
            <article class="judge-card" data-judge={s.judge_type}>
              <header>
                <h4>{judgeLabel(s.judge_type)}</h4>
                <Show when={s.details?.demonstration === true}>
                  <span class="badge badge-neutral" title="a judge model too small to trust: not a judgement">
                    demonstration
                  </span>
                </Show>
                <span class="num">{score(s.score)}</span>
                <PassBadge passed={s.passed} error={s.error} />
              </header>
              <Show when={s.error}>
                <p class="error-text">{s.error}</p>
              </Show>
              <Show when={s.model_id}>
                <p class="muted">
                  {s.model_id}
                  {s.model_revision ? `@${s.model_revision}` : ''}
                  {s.dtype ? ` · ${s.dtype}` : ''}
                  {s.cost_usd ? ` · ${usd(s.cost_usd)}` : ''}
                </p>
              </Show>
              <JudgeDetails details={s.details} />
            </article>
          )}
        </For>
      </section>
      <Show when={runId()}>
        {(id) => (
          <section>
            <h3>Human review</h3>
            <ReviewControl runId={id()} resultId={r().id} judges={r().scores.map((s) => s.judge_type)} />
          </section>
        )}
      </Show>
    </div>
  );
}
