import { createMemoryHistory, MemoryRouter, Route } from '@solidjs/router';
import { render } from '@solidjs/testing-library';
import type { Component } from 'solid-js';

/** Renders `component` as the route `path` at `url`, in a memory router (actions and queries need one). */
export function renderRoute(path: string, component: Component, url: string) {
  const history = createMemoryHistory();
  history.set({ value: url, replace: true });
  return render(() => (
    <MemoryRouter history={history}>
      <Route path={path} component={component} />
    </MemoryRouter>
  ));
}
