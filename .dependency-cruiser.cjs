/**
 * The layers of SPEC.md "Layout", checked on every `npm run lint` (and so in CI):
 *   api → workflows → activities → core / judges / db,  with core/ shared by api, activities,
 *   github-app and cli. A new import against these directions, or any cycle, fails the build.
 */
const forbidden = (name, comment, from, to) => ({ name, comment, severity: 'error', from, to });

module.exports = {
  forbidden: [
    forbidden('no-cycles', 'modules never import each other in a circle', {}, { circular: true }),
    forbidden(
      'workflows-import-activities-as-types',
      'workflow code is deterministic: activities, core and config reach it as types only',
      { path: '^workflows/', pathNot: '\\.test\\.ts$' },
      { path: '^(activities|core|db|api|github-app|judges|runtime)/', dependencyTypesNot: ['type-only'] },
    ),
    forbidden(
      'stats-imports-nothing',
      'pure statistics',
      { path: '^stats/' },
      { path: '^(activities|api|cli|core|db|github-app|judges|lib|runtime|web|workflows)/' },
    ),
    forbidden(
      'judges-without-temporal-or-runtime',
      'the judge library is usable without Temporal or the process wiring',
      { path: '^judges/' },
      {
        path: [
          '^(activities|api|cli|core|db|github-app|runtime|web|workflows)/',
          '^temporal\\.config\\.ts$',
          '@temporalio',
        ],
      },
    ),
    forbidden(
      'lib-imports-nothing-of-the-app',
      'lib/ is leaf helpers (logger, metrics, env)',
      { path: '^lib/' },
      { path: '^(activities|api|cli|core|db|github-app|judges|runtime|stats|web|workflows)/' },
    ),
    forbidden(
      'core-is-the-shared-domain',
      'core/ imports only db, stats, the judge type list and lib',
      { path: '^core/' },
      {
        path: [
          '^(activities|api|cli|github-app|runtime|web|workflows)/',
          '^judges/(?!judge-types\\.ts$)',
          '^temporal\\.config\\.ts$',
        ],
      },
    ),
    forbidden(
      'db-is-the-data-layer',
      'entities and migrations know nothing of the layers above them',
      { path: '^(db|migrations)/', pathNot: '\\.test\\.ts$' },
      { path: '^(activities|api|cli|core|github-app|judges|runtime|web|workflows)/' },
    ),
    forbidden(
      'activities-not-above-them',
      'activities never import the HTTP layer, the GitHub App or process wiring (reporting is injected)',
      { path: '^activities/', pathNot: '\\.test\\.ts$' },
      { path: '^(api|cli|github-app|runtime|web|workflows)/' },
    ),
    forbidden(
      'api-not-into-activities-or-github-internals',
      'the API starts and queries workflows; it never runs activity code or GitHub reporting',
      { path: '^api/', pathNot: '\\.test\\.ts$' },
      { path: ['^activities/', '^github-app/reporting/', '^runtime/', '^cli/'] },
    ),
    forbidden(
      'github-reporting-never-imports-api',
      'reporting/ is injected into activities: no HTTP layer behind it',
      { path: '^github-app/reporting/' },
      { path: ['^api/', '^github-app/http/', '^activities/', '^workflows/'] },
    ),
    forbidden(
      'cli-over-http-only',
      'the CLI talks HTTP; it shares core types and constants, never server code',
      { path: '^cli/', pathNot: '\\.test\\.ts$' },
      {
        path: '^(activities|api|db/entities|github-app/(?!links\\.ts$|run-keys\\.ts$)|judges|runtime|workflows)/',
      },
    ),
    forbidden(
      'web-over-http-only',
      'the dashboard reaches the server over HTTP (generated client types and core types only)',
      { path: '^web/src/' },
      {
        path: '^(activities|api/(?!client/)|cli|db|github-app|runtime|workflows)/',
        dependencyTypesNot: ['type-only'],
      },
    ),
    forbidden(
      'no-page-imports-a-page',
      'pages share components and lib, never each other',
      { path: '^web/src/pages/([^/.]+)' },
      { path: '^web/src/pages/', pathNot: '^web/src/pages/$1(\\.tsx|/)' },
    ),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^node_modules', '^dist', '^web/dist', '^\\.evalforge', '^infra/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs'] },
  },
};
