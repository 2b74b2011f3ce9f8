import { A, Route, Router, type RouteSectionProps, useLocation } from '@solidjs/router';
import { createEffect, ErrorBoundary } from 'solid-js';
import { ErrorBox } from './components/Loadable';
import { pageTitleFor } from './lib/title';
import { ComparePage, preloadCompare } from './pages/ComparePage';
import { DatasetPage, preloadDataset } from './pages/DatasetPage';
import { DatasetsPage, preloadDatasets } from './pages/DatasetsPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { ProjectPage, preloadProject } from './pages/ProjectPage';
import { ProjectsPage, preloadProjects } from './pages/ProjectsPage';
import { preloadRun, RunPage } from './pages/RunPage';
import { preloadSettings, SettingsPage } from './pages/SettingsPage';
import { preloadTrends, TrendsPage } from './pages/TrendsPage';

function Layout(props: RouteSectionProps) {
  const location = useLocation();
  // Every tab names its page: "<page> · EvalForge" (pages may name themselves: lib/title).
  createEffect(() => {
    document.title = pageTitleFor(location.pathname);
  });
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <A href="/" class="brand" end>
          EvalForge
        </A>
        <nav aria-label="Main">
          <A href="/" end>
            Projects
          </A>
          <A href="/compare">Compare</A>
          <A href="/datasets">Datasets</A>
          <A href="/settings">Settings</A>
          <a href="/docs">API docs</a>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <ErrorBoundary
          fallback={(err, reset) => <ErrorBox error={err} title="This page failed" retry={reset} />}
        >
          {props.children}
        </ErrorBoundary>
      </main>
    </>
  );
}

export function App() {
  return (
    <Router root={Layout}>
      {/* Each preload starts the page's first queries while the route resolves (and on link hover). */}
      <Route path="/" component={ProjectsPage} preload={preloadProjects} />
      <Route path="/projects/:id" component={ProjectPage} preload={preloadProject} />
      <Route path="/projects/:id/trends" component={TrendsPage} preload={preloadTrends} />
      <Route path="/runs/:id" component={RunPage} preload={preloadRun} />
      <Route path="/compare" component={ComparePage} preload={preloadCompare} />
      <Route path="/datasets" component={DatasetsPage} preload={preloadDatasets} />
      <Route path="/datasets/:id" component={DatasetPage} preload={preloadDataset} />
      <Route path="/settings" component={SettingsPage} preload={preloadSettings} />
      <Route path="*" component={NotFoundPage} />
    </Router>
  );
}
