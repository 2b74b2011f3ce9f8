import { A } from '@solidjs/router';
import { usePageTitle } from '../lib/title';

export function NotFoundPage() {
  usePageTitle(() => 'Page not found');
  return (
    <>
      <h1>Page not found</h1>
      <p>
        Nothing here. <A href="/">Back to projects</A>
      </p>
    </>
  );
}
