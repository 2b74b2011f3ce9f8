import { A } from '@solidjs/router';

export function NotFoundPage() {
  return (
    <>
      <h1>Page not found</h1>
      <p>
        Nothing here. <A href="/">Back to projects</A>
      </p>
    </>
  );
}
