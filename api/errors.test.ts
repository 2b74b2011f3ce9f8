import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { handleError } from './errors.js';

/** An app whose only route throws `err`, with the shared error handler; `logged` collects 500s. */
function appThrowing(err: Error) {
  const logged: Error[] = [];
  const app = new Hono();
  app.get('/', () => {
    throw err;
  });
  app.onError((e, c) => handleError(e, c, (x) => logged.push(x)));
  return { app, logged };
}

/** A pg error as TypeORM wraps it (QueryFailedError copies the driver's fields and keeps driverError). */
function pgError(code: string, message: string, wrapped: boolean) {
  const driverError = Object.assign(new Error(message), { code });
  return wrapped ? Object.assign(new Error(message), { driverError }) : driverError;
}

describe('handleError', () => {
  it.each([true, false])(
    'maps PostgreSQL 22003 (numeric_value_out_of_range) to 400 value_out_of_range (wrapped: %s)',
    async (wrapped) => {
      const { app, logged } = appThrowing(
        pgError('22003', 'value "3000000000" is out of range for type integer', wrapped),
      );
      const res = await app.request('/');
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body.error.code).toBe('value_out_of_range');
      expect(body.error.message).not.toMatch(/3000000000|integer/);
      expect(logged).toEqual([]);
    },
  );

  it('other database errors stay 500 internal_error, logged, with no detail in the body', async () => {
    const { app, logged } = appThrowing(
      pgError('57P01', 'terminating connection due to administrator command', true),
    );
    const res = await app.request('/');
    expect(res.status).toBe(500);
    expect((await res.json()).error).toEqual({ code: 'internal_error', message: 'internal server error' });
    expect(logged).toHaveLength(1);
  });
});
