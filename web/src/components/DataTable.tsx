import { type Accessor, For, type JSX } from 'solid-js';

/**
 * The dashboard's plain list table: column headers, one row per item from `children`, and a
 * single muted row saying `empty` when there are none.
 */
export function DataTable<T>(props: {
  /** Header cells: text, or an element (a visually hidden label). */
  columns: readonly JSX.Element[];
  rows: readonly T[];
  empty: string;
  children: (row: T, index: Accessor<number>) => JSX.Element;
  class?: string;
  label?: string;
}) {
  return (
    <table class={props.class} aria-label={props.label}>
      <thead>
        <tr>
          <For each={props.columns}>{(c) => <th scope="col">{c}</th>}</For>
        </tr>
      </thead>
      <tbody>
        <For
          each={props.rows}
          fallback={
            <tr>
              <td colSpan={props.columns.length} class="muted">
                {props.empty}
              </td>
            </tr>
          }
        >
          {props.children}
        </For>
      </tbody>
    </table>
  );
}
