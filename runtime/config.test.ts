import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ALL_TASK_QUEUES } from '../temporal.config.js';
import { PROJECT_ROOT } from './child-process.js';
import {
  ConfigError,
  DEFAULT_API_PORT,
  DEFAULT_EMBEDDED_PG_PORT,
  DEFAULT_SHUTDOWN_GRACE_MS,
  isLoopbackHost,
  loadConfig,
} from './config.js';

describe('loadConfig', () => {
  it('runs on embedded defaults with no configuration', () => {
    const config = loadConfig({ EVALFORGE_MODE: 'dev' });
    expect(config.PORT).toBe(DEFAULT_API_PORT);
    expect(config.host).toBe('127.0.0.1');
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.EVALFORGE_PG_PORT).toBe(DEFAULT_EMBEDDED_PG_PORT);
    expect(config.temporalAddress).toBe('127.0.0.1:7233');
    expect(config.TEMPORAL_UI_PORT).toBe(8233);
    expect(config.workerQueues).toEqual(ALL_TASK_QUEUES);
    expect(config.dataDir).toMatch(/\.evalforge$/);
  });

  it('binds all interfaces outside dev mode unless HOST says otherwise', () => {
    expect(loadConfig({}).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '10.1.2.3' }).host).toBe('10.1.2.3');
  });

  it('refuses dev mode (API keys optional) on any address but loopback', () => {
    for (const host of [
      '0.0.0.0',
      '::',
      '10.1.2.3',
      '192.168.0.5',
      'evalforge.example.com',
      '::ffff:10.0.0.1',
    ]) {
      expect(() => loadConfig({ EVALFORGE_MODE: 'dev', HOST: host }), host).toThrow(ConfigError);
      expect(() => loadConfig({ EVALFORGE_MODE: 'dev', HOST: host }), host).toThrow(
        /^Invalid configuration:\n {2}HOST: dev mode/,
      );
    }
    for (const host of ['127.0.0.1', '127.0.1.1', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1']) {
      expect(isLoopbackHost(host), host).toBe(true);
      expect(loadConfig({ EVALFORGE_MODE: 'dev', HOST: host }).host).toBe(host);
    }
    // Production binds anywhere: API keys are required there.
    expect(loadConfig({ EVALFORGE_MODE: 'production', HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  it('takes every port from the environment so two instances can run side by side', () => {
    const config = loadConfig({
      PORT: '4000',
      EVALFORGE_PG_PORT: '5500',
      TEMPORAL_PORT: '7300',
      TEMPORAL_UI_PORT: '8300',
    });
    expect([config.PORT, config.EVALFORGE_PG_PORT, config.TEMPORAL_PORT, config.TEMPORAL_UI_PORT]).toEqual([
      4000, 5500, 7300, 8300,
    ]);
    expect(config.temporalAddress).toBe('127.0.0.1:7300');
  });

  it('selects worker queues for scaled deployments', () => {
    expect(loadConfig({ EVALFORGE_WORKER_QUEUES: 'llm, judges.gpu' }).workerQueues).toEqual([
      'llm',
      'judges.gpu',
    ]);
  });

  it('drains workers on shutdown outside dev mode', () => {
    expect(loadConfig({ EVALFORGE_MODE: 'dev' }).shutdownGraceMs).toBe(0);
    expect(loadConfig({}).shutdownGraceMs).toBe(DEFAULT_SHUTDOWN_GRACE_MS);
    expect(loadConfig({ EVALFORGE_SHUTDOWN_GRACE_MS: '90000' }).shutdownGraceMs).toBe(90_000);
    expect(() => loadConfig({ EVALFORGE_SHUTDOWN_GRACE_MS: '-1' })).toThrow(/EVALFORGE_SHUTDOWN_GRACE_MS/);
  });

  it('rejects bad values with a message naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadConfig({ EVALFORGE_WORKER_QUEUES: 'llm,gpu' })).toThrow(
      /EVALFORGE_WORKER_QUEUES.*orchestration, llm/s,
    );
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ EVALFORGE_MODE: 'staging' })).toThrow(/EVALFORGE_MODE/);
    expect(() => loadConfig({ EVALFORGE_PG_STATEMENT_TIMEOUT_MS: '2m' })).toThrow(
      /EVALFORGE_PG_STATEMENT_TIMEOUT_MS/,
    );
    expect(() => loadConfig({ EVALFORGE_PG_IDLE_IN_TRANSACTION_TIMEOUT_MS: '-1' })).toThrow(
      /EVALFORGE_PG_IDLE_IN_TRANSACTION_TIMEOUT_MS/,
    );
  });
});

describe('entry points with a bad configuration', () => {
  it.each([
    [
      'scripts/api.ts',
      { PORT: 'eighty', EVALFORGE_MODE: 'staging' },
      ['PORT: must be a port number', 'EVALFORGE_MODE'],
    ],
    [
      'scripts/worker.ts',
      { EVALFORGE_WORKER_QUEUES: 'llm,gpu' },
      ['EVALFORGE_WORKER_QUEUES: must be a comma-separated list'],
    ],
    ['scripts/api.ts', { EVALFORGE_MODE: 'dev', HOST: '0.0.0.0' }, ['HOST: dev mode', 'not 0.0.0.0']],
  ])('%s with %j names every bad variable and exits 2, without a stack trace', (script, env, messages) => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH, ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.status).toBe(2);
    expect(child.stderr).toContain('Invalid configuration:');
    for (const message of messages) expect(child.stderr).toContain(message);
    expect(child.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('EVALFORGE_ALLOWED_ENDPOINT_HOSTS', () => {
  it('is parsed once at start (hostnames, *.domains, CIDRs); empty allows none', () => {
    const allowed = loadConfig({
      EVALFORGE_ALLOWED_ENDPOINT_HOSTS: 'vllm.internal, *.svc.local, 10.20.0.0/16',
    }).EVALFORGE_ALLOWED_ENDPOINT_HOSTS;
    expect([...allowed.names]).toEqual(['vllm.internal']);
    expect(allowed.suffixes).toEqual(['svc.local']);
    expect(allowed.addresses.check('10.20.1.1', 'ipv4')).toBe(true);
    expect(loadConfig({}).EVALFORGE_ALLOWED_ENDPOINT_HOSTS.entries).toEqual([]);
  });

  it('names the entries it cannot read', () => {
    expect(() =>
      loadConfig({ EVALFORGE_ALLOWED_ENDPOINT_HOSTS: 'ok.internal,10.0.0.0/33,http://x' }),
    ).toThrow(
      /EVALFORGE_ALLOWED_ENDPOINT_HOSTS: not a hostname, \*\.domain, IP address or CIDR: 10\.0\.0\.0\/33, http:\/\/x/,
    );
  });
});
