/**
 * Every tab says which page it is: "<page> · EvalForge". The layout names each route by its path;
 * a page that knows more (a run's id, a project's name) says so with usePageTitle.
 */
import { useLocation } from '@solidjs/router';
import { createEffect, createSignal, onCleanup } from 'solid-js';

export const APP_NAME = 'EvalForge';

export const fullTitle = (page: string) => `${page} · ${APP_NAME}`;

/** The page a path shows, when the page has not named itself. */
export function defaultPageTitle(pathname: string): string {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return 'Projects';
  if (/^\/projects\/[^/]+\/trends$/.test(path)) return 'Score trends';
  if (/^\/projects\/[^/]+$/.test(path)) return 'Project';
  if (/^\/runs\/[^/]+$/.test(path)) return 'Run';
  if (path === '/compare') return 'Compare runs';
  if (path === '/datasets') return 'Datasets';
  if (/^\/datasets\/[^/]+$/.test(path)) return 'Dataset';
  if (path === '/settings') return 'Settings';
  return 'Page not found';
}

/** A page's own title, for the path it was set on (so a page left behind never names the next one). */
const [override, setOverride] = createSignal<{ path: string; title: string } | null>(null);

/** The title the layout writes to document.title for `pathname`. */
export function pageTitleFor(pathname: string) {
  const own = override();
  return fullTitle(own && own.path === pathname ? own.title : defaultPageTitle(pathname));
}

/** Names the current page: "Run 1a2b3c4d" gives the tab "Run 1a2b3c4d · EvalForge". */
export function usePageTitle(title: () => string | undefined) {
  const location = useLocation();
  let mine: { path: string; title: string } | null = null;
  createEffect(() => {
    const t = title();
    const path = location.pathname;
    if (!t) return;
    mine = { path, title: t };
    setOverride(mine);
  });
  // Only its own: the next page may already have named itself.
  onCleanup(() => {
    if (override() === mine) setOverride(null);
  });
}
