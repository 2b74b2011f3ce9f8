import { createMemoryHistory, MemoryRouter, Route, useLocation } from '@solidjs/router';
import { render } from '@solidjs/testing-library';
import { createEffect } from 'solid-js';
import { describe, expect, it } from 'vitest';
import { defaultPageTitle, fullTitle, pageTitleFor, usePageTitle } from './title';

describe('page titles', () => {
  it('names each route by its path', () => {
    expect(defaultPageTitle('/')).toBe('Projects');
    expect(defaultPageTitle('/projects/p1')).toBe('Project');
    expect(defaultPageTitle('/projects/p1/trends')).toBe('Score trends');
    expect(defaultPageTitle('/runs/r1')).toBe('Run');
    expect(defaultPageTitle('/compare')).toBe('Compare runs');
    expect(defaultPageTitle('/datasets/')).toBe('Datasets');
    expect(defaultPageTitle('/datasets/d1')).toBe('Dataset');
    expect(defaultPageTitle('/settings')).toBe('Settings');
    expect(defaultPageTitle('/nope/x')).toBe('Page not found');
    expect(fullTitle('Projects')).toBe('Projects · EvalForge');
  });

  it("uses a page's own title on its path only", () => {
    const history = createMemoryHistory();
    history.set({ value: '/runs/abc', replace: true });
    function Page() {
      usePageTitle(() => 'Run abc');
      const location = useLocation();
      createEffect(() => {
        document.title = pageTitleFor(location.pathname);
      });
      return <p>run</p>;
    }
    render(() => (
      <MemoryRouter history={history}>
        <Route path="/runs/:id" component={Page} />
      </MemoryRouter>
    ));
    expect(document.title).toBe('Run abc · EvalForge');
    expect(pageTitleFor('/compare')).toBe('Compare runs · EvalForge');
  });
});
