import { For } from 'solid-js';

export const PAGE_SIZES = [25, 50, 100, 200] as const;

export function Pagination(props: {
  offset: number;
  limit: number;
  total: number;
  onChange: (page: { offset: number; limit: number }) => void;
  label?: string;
}) {
  const first = () => (props.total === 0 ? 0 : props.offset + 1);
  const last = () => Math.min(props.offset + props.limit, props.total);
  return (
    <nav class="pagination" aria-label={props.label ?? 'Pagination'}>
      <span>
        {first()}–{last()} of {props.total.toLocaleString('en-US')}
      </span>
      <button
        type="button"
        disabled={props.offset === 0}
        onClick={() =>
          props.onChange({ offset: Math.max(0, props.offset - props.limit), limit: props.limit })
        }
      >
        ← Previous
      </button>
      <button
        type="button"
        disabled={props.offset + props.limit >= props.total}
        onClick={() => props.onChange({ offset: props.offset + props.limit, limit: props.limit })}
      >
        Next →
      </button>
      <label>
        Per page{' '}
        <select
          value={String(props.limit)}
          onChange={(e) => props.onChange({ offset: 0, limit: Number(e.currentTarget.value) })}
        >
          <For each={PAGE_SIZES}>{(n) => <option value={String(n)}>{n}</option>}</For>
        </select>
      </label>
    </nav>
  );
}
