import { createAsync, useAction } from '@solidjs/router';
import { createSignal, createUniqueId, For, Show } from 'solid-js';
import { saveReview } from '../../api/actions';
import type { Schemas } from '../../api/client';
import { getRunReviews } from '../../api/queries';
import { dateTime, score as formatScore, judgeLabel } from '../../lib/format';
import { createSubmitter } from '../../lib/submit';
import { PassBadge } from '../Badges';
import { FormError } from '../FormError';

export type HumanReview = Schemas['HumanReview'];

/** The longest comment the API stores. */
export const REVIEW_COMMENT_MAX = 2000;

export interface ReviewControlProps {
  /** The run the result belongs to. */
  runId: string;
  /** The result reviewed. */
  resultId: string;
  /**
   * Judges that scored the result: the reviewer may review one judge's verdict instead of the whole
   * result. Omitted or empty: overall reviews only.
   */
  judges?: readonly string[];
  /** Judge selected at first (null or omitted: the result as a whole). */
  judge?: string | null;
  /** Hide the list of existing reviews (a compact cell, e.g. on the compare page). Default false. */
  compact?: boolean;
  /** Called with the review the API stored, after each save. */
  onSaved?: (review: HumanReview) => void;
}

/**
 * A person's verdict on one result: pass or fail, an optional 0..1 score and a comment, saved under
 * the caller's API key name (saving again updates that reviewer's review). Lists the result's reviews.
 */
export function ReviewControl(props: ReviewControlProps) {
  const id = createUniqueId();
  const submit = createSubmitter();
  const save = useAction(saveReview);
  const [judge, setJudge] = createSignal<string | null>(props.judge ?? null);
  const [passed, setPassed] = createSignal<boolean | null>(null);
  const [scoreText, setScoreText] = createSignal('');
  const [comment, setComment] = createSignal('');
  const [saved, setSaved] = createSignal(false);
  const reviews = createAsync(() =>
    props.compact ? Promise.resolve(undefined) : getRunReviews(props.runId, props.resultId),
  );

  const scoreValue = (): number | null | 'invalid' => {
    const t = scoreText().trim();
    if (t === '') return null;
    const v = Number(t);
    return Number.isFinite(v) && v >= 0 && v <= 1 ? v : 'invalid';
  };
  const canSave = () => passed() !== null && scoreValue() !== 'invalid' && !submit.busy();

  const onSubmit = async (e: SubmitEvent) => {
    e.preventDefault();
    const verdict = passed();
    const s = scoreValue();
    if (verdict === null || s === 'invalid') return;
    setSaved(false);
    const review = await submit.run(() =>
      save(props.runId, props.resultId, {
        judge_type: judge(),
        passed: verdict,
        score: s,
        comment: comment().trim() === '' ? null : comment(),
      }),
    );
    if (review) {
      setSaved(true);
      props.onSaved?.(review as HumanReview);
    }
  };

  return (
    <div class="review-control" data-result={props.resultId}>
      <form
        onSubmit={onSubmit}
        aria-label="Human review"
        aria-describedby={submit.error() ? `review-error-${id}` : undefined}
      >
        <Show when={props.judges?.length}>
          <div class="field">
            <label for={`review-judge-${id}`}>Review of</label>
            <select
              id={`review-judge-${id}`}
              value={judge() ?? ''}
              onChange={(e) => setJudge(e.currentTarget.value === '' ? null : e.currentTarget.value)}
            >
              <option value="">The whole result</option>
              <For each={props.judges}>{(j) => <option value={j}>{judgeLabel(j)}</option>}</For>
            </select>
          </div>
        </Show>
        <fieldset class="review-verdict">
          <legend>Verdict</legend>
          <button
            type="button"
            class="secondary"
            data-verdict="pass"
            aria-pressed={passed() === true}
            onClick={() => setPassed(true)}
          >
            ✓ Pass
          </button>
          <button
            type="button"
            class="secondary"
            data-verdict="fail"
            aria-pressed={passed() === false}
            onClick={() => setPassed(false)}
          >
            ✗ Fail
          </button>
        </fieldset>
        <div class="field">
          <label for={`review-score-${id}`}>Score (0–1, optional)</label>
          <input
            id={`review-score-${id}`}
            type="number"
            min="0"
            max="1"
            step="0.01"
            value={scoreText()}
            aria-invalid={scoreValue() === 'invalid'}
            onInput={(e) => setScoreText(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for={`review-comment-${id}`}>Comment</label>
          <textarea
            id={`review-comment-${id}`}
            maxLength={REVIEW_COMMENT_MAX}
            rows={3}
            value={comment()}
            onInput={(e) => setComment(e.currentTarget.value)}
          />
        </div>
        <button type="submit" disabled={!canSave()}>
          {submit.busy() ? 'Saving…' : 'Save review'}
        </button>
        <Show when={saved() && !submit.error()}>
          <span class="muted" role="status">
            {' '}
            Saved.
          </span>
        </Show>
        <FormError error={submit.error()} id={`review-error-${id}`} />
      </form>
      <Show when={!props.compact}>
        <Show when={reviews()}>
          {(page) => (
            <ul class="review-list" aria-label="Reviews">
              <For each={page().items} fallback={<li class="muted">No reviews yet.</li>}>
                {(r) => (
                  <li data-reviewer={r.reviewer}>
                    <PassBadge passed={r.passed} /> <strong>{r.reviewer}</strong>
                    <span class="muted"> · {r.judge_type ? judgeLabel(r.judge_type) : 'overall'}</span>
                    <Show when={r.score !== null}>
                      <span class="num"> · {formatScore(r.score)}</span>
                    </Show>
                    <span class="muted"> · {dateTime(r.updated_at)}</span>
                    <Show when={r.comment}>
                      <p>{r.comment}</p>
                    </Show>
                  </li>
                )}
              </For>
            </ul>
          )}
        </Show>
      </Show>
    </div>
  );
}
