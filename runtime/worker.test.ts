import { describe, expect, it } from 'vitest';
import { sdkLogLevel } from './worker.js';

describe('sdkLogLevel', () => {
  it('keeps the SDK level, but an activity-only queue having no workflows is routine (debug)', () => {
    expect(sdkLogLevel({ level: 'WARN', message: 'Activity failed' })).toBe('warn');
    expect(sdkLogLevel({ level: 'ERROR', message: 'Worker failed' })).toBe('error');
    expect(
      sdkLogLevel({ level: 'WARN', message: 'No workflows registered, not polling for workflow tasks' }),
    ).toBe('debug');
  });
});
