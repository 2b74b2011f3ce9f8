import { createMemo, For, Show } from 'solid-js';
import { diffStats, wordDiff } from '../lib/word-diff';

/**
 * The candidate's output against the baseline's, word by word: removed words in <del>, added ones in
 * <ins>, each with a visually hidden "removed:"/"added:" for screen readers. Model output is only
 * ever text nodes here.
 */
export function WordDiff(props: { before: string; after: string; label: string }) {
  const parts = createMemo(() => wordDiff(props.before, props.after));
  const stats = createMemo(() => diffStats(parts()));
  return (
    <div class="diff-block">
      <p class="muted diff-stats">
        <Show when={stats().removed || stats().added} fallback="Outputs identical">
          {stats().removed} {stats().removed === 1 ? 'word' : 'words'} removed, {stats().added} added
        </Show>
      </p>
      <p class="diff">
        <span class="sr-only">{props.label}: </span>
        <For each={parts()}>
          {(p) =>
            p.op === 'equal' ? (
              p.text
            ) : p.op === 'delete' ? (
              <del>
                <span class="sr-only">[removed: </span>
                {p.text}
                <span class="sr-only">]</span>
              </del>
            ) : (
              <ins>
                <span class="sr-only">[added: </span>
                {p.text}
                <span class="sr-only">]</span>
              </ins>
            )
          }
        </For>
      </p>
    </div>
  );
}
