import { For, Show } from 'solid-js';
import { int, judgeLabel } from '../lib/format';
import { guardrailOutcome, type StoredGuardrail } from '../lib/summary';

/** Badge class and words per outcome; a guardrail nothing could score is "not evaluated", never held. */
export function guardrailLook(g: StoredGuardrail) {
  // A demonstration judge's outcome is shown, but never as a verdict anyone should act on.
  if (g.demonstration) return { kind: 'neutral', label: 'demonstration · not gating' };
  switch (guardrailOutcome(g)) {
    case 'pass':
      return { kind: 'pass', label: 'held' };
    case 'fail':
      return g.is_blocking
        ? { kind: 'fail', label: 'blocking failure' }
        : { kind: 'warn', label: 'soft failure' };
    case 'error':
      return { kind: 'error', label: g.is_blocking ? 'not evaluated (blocking)' : 'not evaluated' };
  }
}

/** "28 of 30 passed · 1 below threshold · 1 judge error": what the outcome was counted from. */
function countsLine(counts: NonNullable<StoredGuardrail['counts']>) {
  return [
    `${int(counts.passed)} of ${int(counts.counted)} passed`,
    counts.failed ? `${int(counts.failed)} below threshold` : null,
    counts.errors ? `${int(counts.errors)} judge ${counts.errors === 1 ? 'error' : 'errors'}` : null,
    counts.unscored ? `${int(counts.unscored)} without output` : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** Each guardrail's outcome as the summarize step recorded it. */
export function GuardrailOutcomes(props: { guardrails: StoredGuardrail[] }) {
  return (
    <ul class="guardrails">
      <For each={props.guardrails}>
        {(g) => (
          <li data-outcome={guardrailOutcome(g)}>
            <span class={`badge badge-${guardrailLook(g).kind}`}>{guardrailLook(g).label}</span>{' '}
            {g.reason || judgeLabel(g.judge_type)}
            <Show when={g.counts}>
              {(counts) => <span class="muted guardrail-counts"> ({countsLine(counts())})</span>}
            </Show>
          </li>
        )}
      </For>
    </ul>
  );
}
