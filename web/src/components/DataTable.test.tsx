import { render } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { DataTable } from './DataTable';

describe('DataTable', () => {
  it('renders headers and a row per item', () => {
    const { container } = render(() => (
      <DataTable
        columns={['Name', 'Size']}
        rows={[
          { n: 'a', s: 1 },
          { n: 'b', s: 2 },
        ]}
        empty="Nothing."
        label="Things"
      >
        {(r) => (
          <tr>
            <td>{r.n}</td>
            <td>{r.s}</td>
          </tr>
        )}
      </DataTable>
    ));
    expect(container.querySelector('table')?.getAttribute('aria-label')).toBe('Things');
    expect([...container.querySelectorAll('thead th[scope="col"]')].map((th) => th.textContent)).toEqual([
      'Name',
      'Size',
    ]);
    expect([...container.querySelectorAll('tbody tr')].map((tr) => tr.textContent)).toEqual(['a1', 'b2']);
  });

  it('says it is empty in one row spanning every column', () => {
    const { container } = render(() => (
      <DataTable columns={['A', 'B', 'C']} rows={[]} empty="No keys.">
        {() => <tr />}
      </DataTable>
    ));
    const cell = container.querySelector('tbody td');
    expect(cell?.textContent).toBe('No keys.');
    expect(cell?.getAttribute('colspan')).toBe('3');
  });
});
