import { createAsync, revalidate } from '@solidjs/router';
import { Show } from 'solid-js';
import { getHealth } from '../../api/queries';
import { Loadable } from '../Loadable';
import { BrowserKey } from './BrowserKey';

/** The server's health (database, Temporal, workers) and this browser's API key. */
export function ServerSection() {
  const health = createAsync(() => getHealth());
  return (
    <section class="panel" aria-labelledby="server-h">
      <h2 id="server-h">Server</h2>
      <Loadable data={health} label="server health" retry={() => revalidate(getHealth.key)}>
        {(h) => (
          <dl class="facts">
            <dt>Status</dt>
            <dd>
              <span class={`badge badge-${h().status === 'ok' ? 'pass' : 'fail'}`}>{h().status}</span> v
              {h().version} · {h().mode} mode
            </dd>
            <dt>Database</dt>
            <dd>
              {h().database.status} {h().database.version ?? ''} {h().database.error ?? ''}
            </dd>
            <dt>Temporal</dt>
            <dd>
              {h().temporal.status} · namespace {h().temporal.namespace}{' '}
              <Show when={h().temporal.ui_url}>
                {(url) => (
                  <a href={url()} target="_blank" rel="noopener noreferrer">
                    Temporal UI ↗
                  </a>
                )}
              </Show>
            </dd>
            <dt>Workers</dt>
            <dd>
              {Object.entries(h().workers)
                .map(([queue, w]) => `${queue}: ${w.pollers} pollers`)
                .join(' · ') || 'none'}
            </dd>
          </dl>
        )}
      </Loadable>
      <BrowserKey />
    </section>
  );
}
