import { createEffect, createSignal, type JSX, onCleanup, onMount, Show } from 'solid-js';

/** Width used before layout (and in jsdom, which has no layout). */
const DEFAULT_WIDTH = 640;

/**
 * Plot names each mark's <g> with aria-label ("rule", "line"), which ARIA permits only on elements with
 * a role: they become groups, so the names stay valid for screen readers (and for selectors).
 */
export function labelGroups(root: Element) {
  for (const g of root.querySelectorAll('g[aria-label]:not([role])')) g.setAttribute('role', 'group');
}

/**
 * Hosts an Observable Plot chart: `render` gets the available width and returns Plot's element;
 * it re-runs when its reactive inputs or the container width change. `caption` says in words what
 * the chart draws. The figure scrolls sideways when a chart is wider than its panel, and takes
 * keyboard focus so that scrolling works without a mouse.
 */
export function PlotFigure(props: {
  render: (width: number) => Element | null;
  label: string;
  caption?: JSX.Element;
  class?: string;
}) {
  let figure!: HTMLElement;
  let host!: HTMLDivElement;
  const [width, setWidth] = createSignal(DEFAULT_WIDTH);
  onMount(() => {
    const measure = () => setWidth(figure.clientWidth || DEFAULT_WIDTH);
    measure();
    if (typeof ResizeObserver !== 'undefined') {
      const observer = new ResizeObserver(measure);
      observer.observe(figure);
      onCleanup(() => observer.disconnect());
    }
  });
  createEffect(() => {
    const el = props.render(width());
    if (el) labelGroups(el);
    host.replaceChildren(...(el ? [el] : []));
  });
  onCleanup(() => host?.replaceChildren());
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a chart wider than its panel scrolls, and keyboard users must reach it
    <figure class={`plot ${props.class ?? ''}`} aria-label={props.label} ref={figure} tabIndex={0}>
      <Show when={props.caption}>
        <figcaption class="muted">{props.caption}</figcaption>
      </Show>
      <div class="plot-host" ref={host} />
    </figure>
  );
}
