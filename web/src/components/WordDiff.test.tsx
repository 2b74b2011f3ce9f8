import { render } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { WordDiff } from './WordDiff';

describe('WordDiff', () => {
  it('marks removed and added words with del/ins and screen-reader text, never as markup', () => {
    const { container } = render(() => (
      <WordDiff
        before="Refunds take 5 days."
        after={'Refunds take <img src=x onerror="window.__x=1"> 7 days.'}
        label="Output change"
      />
    ));
    expect(container.querySelector('del')?.textContent).toBe('[removed: 5 ]');
    expect(container.querySelector('ins')?.textContent).toContain('<img src=x onerror="window.__x=1">');
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('.diff-stats')?.textContent).toBe('1 word removed, 4 added');
  });

  it('says when the outputs are identical', () => {
    const { container } = render(() => <WordDiff before="same" after="same" label="Output change" />);
    expect(container.querySelector('.diff-stats')?.textContent).toBe('Outputs identical');
    expect(container.querySelector('del, ins')).toBeNull();
  });
});
