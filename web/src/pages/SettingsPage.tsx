import { type RoutePreloadFuncArgs, useSearchParams } from '@solidjs/router';
import { Show } from 'solid-js';
import {
  getApiKeys,
  getEndpoints,
  getGuardrails,
  getHealth,
  getProjects,
  getRuns,
  getSecrets,
} from '../api/queries';
import { ProjectPicker } from '../components/ProjectPicker';
import { ApiKeysSection } from '../components/settings/ApiKeysSection';
import { EndpointsSection } from '../components/settings/EndpointsSection';
import { GuardrailsSection } from '../components/settings/GuardrailsSection';
import { ProviderSecretsSection } from '../components/settings/ProviderSecretsSection';
import { ServerSection } from '../components/settings/ServerSection';
import { WorkflowsSection, workflowRunsQuery } from '../components/settings/WorkflowsSection';

export const preloadSettings = ({ location }: RoutePreloadFuncArgs) => {
  const project = (location.query as { project?: string }).project;
  void getHealth();
  void getProjects();
  if (project) {
    void getEndpoints(project, false);
    void getSecrets(project);
    void getGuardrails(project);
    void getApiKeys(project);
    void getRuns(workflowRunsQuery(project));
  }
};

export function SettingsPage() {
  const [search, setSearch] = useSearchParams<{ project?: string }>();
  return (
    <>
      <h1>Settings</h1>
      <ServerSection />
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <ProjectPicker
          value={search.project}
          onChange={(project) => setSearch({ project: project || undefined })}
        />
      </form>
      <Show
        when={search.project}
        fallback={
          <p class="empty">Choose a project for its endpoints, provider secrets, guardrails and keys.</p>
        }
      >
        {(project) => (
          <>
            <EndpointsSection project={project()} />
            <ProviderSecretsSection project={project()} />
            <GuardrailsSection project={project()} />
            <ApiKeysSection project={project()} />
            <WorkflowsSection project={project()} />
          </>
        )}
      </Show>
    </>
  );
}
