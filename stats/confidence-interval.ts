import { studentTQuantile } from './distributions.js';
import type { ConfidenceInterval } from './types.js';

/** estimate ± t_{(1+level)/2, df} · SE; a zero SE gives the point itself (no 0·∞ when df is degenerate). */
export function tConfidenceInterval(
  estimate: number,
  standardError: number,
  df: number,
  level: number,
): ConfidenceInterval {
  if (standardError === 0) return { level, lower: estimate, upper: estimate };
  const halfWidth = studentTQuantile((1 + level) / 2, df) * standardError;
  return { level, lower: estimate - halfWidth, upper: estimate + halfWidth };
}
