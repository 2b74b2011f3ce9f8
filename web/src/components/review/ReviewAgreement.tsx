import { createAsync } from '@solidjs/router';
import { ErrorBoundary, For, Show } from 'solid-js';
import type { Schemas } from '../../api/client';
import { getReviewSummary } from '../../api/queries';
import { judgeLabel, pct } from '../../lib/format';
import { ErrorBox } from '../Loadable';

export type ReviewSummary = Schemas['ReviewSummary'];

export interface ReviewAgreementProps {
  /** The run whose agreement is shown: fetched from GET /api/eval/runs/{id}/reviews/summary. */
  runId: string;
  /** Already loaded summary: shown as given, nothing fetched (runId is then only a label). */
  summary?: ReviewSummary;
  /** Heading level text; default "Human agreement". Pass null for no heading. */
  title?: string | null;
}

const kappaText = (k: number | null) => (k === null ? '–' : k.toFixed(2));

/** Per judge: on how many reviewed results people agree with it, as a share and Cohen's kappa. */
export function ReviewAgreement(props: ReviewAgreementProps) {
  const fetched = createAsync(() =>
    props.summary ? Promise.resolve(undefined) : getReviewSummary(props.runId),
  );
  const summary = () => props.summary ?? fetched();
  return (
    <section class="review-agreement" aria-label="Agreement of human reviews with judges">
      <Show when={props.title !== null}>
        <h3>{props.title ?? 'Human agreement'}</h3>
      </Show>
      {/* A failed load stays in this section: the page around it (a run's) still shows. */}
      <ErrorBoundary fallback={(error) => <ErrorBox error={error} title="Could not load reviews" />}>
        <Show when={summary()} fallback={<p class="muted">Loading reviews…</p>}>
          {(s) => (
            <Show
              when={s().judges.length}
              fallback={
                <p class="muted">
                  No reviewed results yet: review results to compare people with the judges.
                </p>
              }
            >
              <p class="muted">
                {s().reviewed_results} reviewed result{s().reviewed_results === 1 ? '' : 's'} · {s().reviews}{' '}
                review
                {s().reviews === 1 ? '' : 's'}
              </p>
              <table class="data-table">
                <thead>
                  <tr>
                    <th scope="col">Judge</th>
                    <th scope="col" class="num">
                      Reviewed
                    </th>
                    <th scope="col" class="num">
                      Agreement
                    </th>
                    <th
                      scope="col"
                      class="num symbol"
                      title="Cohen's kappa: agreement beyond chance (1 perfect, 0 chance)"
                    >
                      κ
                    </th>
                  </tr>
                </thead>
                <tbody>
                  <For each={s().judges}>
                    {(j) => (
                      <tr data-judge={j.judge_type}>
                        <th scope="row">{judgeLabel(j.judge_type)}</th>
                        <td class="num">{j.n}</td>
                        <td class="num">{pct(j.agreement)}</td>
                        <td class="num">{kappaText(j.kappa)}</td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </Show>
          )}
        </Show>
      </ErrorBoundary>
    </section>
  );
}
