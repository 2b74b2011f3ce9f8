/** What every upload parser yields: one raw record per data row, or a row-level problem. */
import type { RowError } from '../../../core/dataset-versions.js';

export type UploadRecord =
  | { row: number; line?: number; value: Record<string, unknown> }
  | { row: number; line?: number; error: Omit<RowError, 'row' | 'line'> };

export interface UploadLimits {
  maxRows: number;
}
