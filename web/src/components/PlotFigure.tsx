import { createEffect, createSignal, onCleanup, onMount } from 'solid-js';

/** Width used before layout (and in jsdom, which has no layout). */
const DEFAULT_WIDTH = 640;

/**
 * Hosts an Observable Plot chart: `render` gets the available width and returns Plot's element;
 * it re-runs when its reactive inputs or the container width change.
 */
export function PlotFigure(props: {
  render: (width: number) => Element | null;
  label: string;
  class?: string;
}) {
  let host!: HTMLElement;
  const [width, setWidth] = createSignal(DEFAULT_WIDTH);
  onMount(() => {
    const measure = () => setWidth(host.clientWidth || DEFAULT_WIDTH);
    measure();
    if (typeof ResizeObserver !== 'undefined') {
      const observer = new ResizeObserver(measure);
      observer.observe(host);
      onCleanup(() => observer.disconnect());
    }
  });
  createEffect(() => {
    const el = props.render(width());
    host.replaceChildren(...(el ? [el] : []));
  });
  onCleanup(() => host?.replaceChildren());
  return <figure class={`plot ${props.class ?? ''}`} aria-label={props.label} ref={host} />;
}
