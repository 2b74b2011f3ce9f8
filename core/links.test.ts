import { describe, expect, it } from 'vitest';
import { comparePageUrl, gitHubCommitUrl } from './links.js';

const SHA = 'ABCDEF1234567890abcdef1234567890abcdef12';

describe('comparePageUrl', () => {
  it('opens the compare page with the baseline as a and the candidate as b', () => {
    expect(
      comparePageUrl('https://evalforge.example.com', {
        projectId: 'p 1',
        baselineRunId: 'r1',
        candidateRunId: 'r2',
      }),
    ).toBe('https://evalforge.example.com/compare?project=p+1&a=r1&b=r2');
    expect(comparePageUrl(null, { projectId: 'p', baselineRunId: 'a', candidateRunId: 'b' })).toBeNull();
  });
});

describe('gitHubCommitUrl', () => {
  it('links the commit of owner/repo', () => {
    expect(gitHubCommitUrl('acme/support-bot', SHA)).toBe(
      `https://github.com/acme/support-bot/commit/${SHA.toLowerCase()}`,
    );
  });

  it('gives no link for anything that is not a repository name and a commit SHA', () => {
    for (const [name, sha] of [
      [null, SHA],
      ['acme/support-bot', null],
      ['acme/support-bot', 'main'],
      ['acme/..', SHA],
      ['acme/repo/../../evil', SHA],
      ['acme', SHA],
      ['ac me/repo', SHA],
      ['acme/repo?x=1', SHA],
    ] as const) {
      expect(gitHubCommitUrl(name, sha)).toBeNull();
    }
  });
});
