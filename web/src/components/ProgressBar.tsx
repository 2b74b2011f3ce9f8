export function ProgressBar(props: { done: number; total: number; label: string }) {
  const ratio = () => (props.total > 0 ? Math.min(1, props.done / props.total) : 0);
  return (
    <div
      class="progress"
      role="progressbar"
      aria-label={props.label}
      aria-valuemin={0}
      aria-valuemax={props.total}
      aria-valuenow={props.done}
      aria-valuetext={`${props.done} of ${props.total}`}
    >
      <div class="progress-fill" style={{ width: `${ratio() * 100}%` }} />
    </div>
  );
}
