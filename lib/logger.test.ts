import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, REDACTED, sanitizeSql, serializeError } from './logger.js';

function captured() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger('test', 'info', sink), lines: () => lines.map((l) => JSON.parse(l)) };
}

const MARKER = 'MARKER-9d1e';

describe('createLogger', () => {
  it('writes JSON lines with credentials and user text redacted', () => {
    const { logger, lines } = captured();
    logger.info(
      {
        authorization: `Bearer ${MARKER}`,
        headers: { authorization: MARKER, 'x-api-key': MARKER, accept: 'text/csv' },
        req: { headers: { cookie: MARKER } },
        api_key: MARKER,
        config: { api_key: MARKER, model: 'gpt' },
        password: MARKER,
        input_text: MARKER,
        llm_output: MARKER,
        reference_output: MARKER,
        system_prompt: MARKER,
        prompt: MARKER,
        parameters: [MARKER],
        run_id: 'r1',
      },
      'request',
    );
    const [line] = lines();
    expect(JSON.stringify(line)).not.toContain(MARKER);
    expect(line).toMatchObject({
      msg: 'request',
      run_id: 'r1',
      authorization: REDACTED,
      headers: { authorization: REDACTED, 'x-api-key': REDACTED, accept: 'text/csv' },
      config: { api_key: REDACTED, model: 'gpt' },
      input_text: REDACTED,
    });
  });

  it('serializes ordinary errors as before: type, message, stack and own fields', () => {
    const err = Object.assign(new Error('model call failed'), { status: 503 });
    expect(serializeError(err)).toMatchObject({ type: 'Error', message: 'model call failed', status: 503 });
    expect(serializeError('not an error')).toBe('not an error');
  });
});

describe('sanitizeSql', () => {
  it('replaces every literal and drops comments, keeping placeholders and identifiers', () => {
    expect(
      sanitizeSql(
        `SELECT * FROM eval_samples s /* ${MARKER} */ WHERE s.input_text = '${MARKER}''s' AND s.position > 42 ` +
          `AND s.id = $1 AND x = E'${MARKER}\\'' AND y = $tag$${MARKER}$tag$ -- ${MARKER}\n AND uq_12 = 1.5e3`,
      ),
    ).toBe(
      'SELECT * FROM eval_samples s WHERE s.input_text = ? AND s.position > ? AND s.id = $1 AND x = ? AND y = ? AND uq_12 = ?',
    );
  });

  it('cuts everything after an unterminated quote', () => {
    expect(sanitizeSql(`UPDATE t SET a = 'open ${MARKER}`)).toBe('UPDATE t SET a = ?…');
  });
});
