/** A small button in a table row; `name` says which row it acts on (several rows have one). */
export function RowAction(props: {
  label: string;
  name: string;
  danger?: boolean;
  disabled?: boolean;
  onClick: () => void;
}) {
  return (
    <button
      type="button"
      class={props.danger ? 'danger' : 'secondary'}
      aria-label={props.name}
      disabled={props.disabled}
      onClick={() => props.onClick()}
    >
      {props.label}
    </button>
  );
}
