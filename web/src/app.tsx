import { A, Route, Router, type RouteSectionProps } from '@solidjs/router';
import { ErrorBoundary } from 'solid-js';
import { ErrorBox } from './components/Loadable';
import { ComparePage } from './pages/ComparePage';
import { DatasetPage } from './pages/DatasetPage';
import { DatasetsPage } from './pages/DatasetsPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { ProjectPage } from './pages/ProjectPage';
import { ProjectsPage } from './pages/ProjectsPage';
import { RunPage } from './pages/RunPage';
import { SettingsPage } from './pages/SettingsPage';
import { TrendsPage } from './pages/TrendsPage';

function Layout(props: RouteSectionProps) {
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
      <Route path="/" component={ProjectsPage} />
      <Route path="/projects/:id" component={ProjectPage} />
      <Route path="/projects/:id/trends" component={TrendsPage} />
      <Route path="/runs/:id" component={RunPage} />
      <Route path="/compare" component={ComparePage} />
      <Route path="/datasets" component={DatasetsPage} />
      <Route path="/datasets/:id" component={DatasetPage} />
      <Route path="/settings" component={SettingsPage} />
      <Route path="*" component={NotFoundPage} />
    </Router>
  );
}
