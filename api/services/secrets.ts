/**
 * Endpoint configs never hold provider keys: an endpoint names the environment variable with the key
 * (api_key_env). These checks refuse the common ways a key slips in anyway — a secret-looking field
 * name anywhere in config, a value shaped like a well-known key, credentials in the endpoint URL —
 * so it never reaches the database, the logs or a response.
 */
import { ApiError } from '../errors.js';

const SECRET_NAME =
  /^(key|token)$|(^|[_\-.])(api[_-]?key|apikey|secret|client[_-]?secret|password|passwd|access[_-]?token|auth[_-]?token|bearer|authorization|private[_-]?key|credentials?)($|[_\-.])/i;

const SECRET_VALUE =
  /^(Bearer\s+\S+|sk-[A-Za-z0-9_-]{16,}|hf_[A-Za-z0-9]{20,}|gh[pousr]_[A-Za-z0-9]{20,}|xox[abpr]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{30,})$/;

export interface SecretFinding {
  path: string;
  reason: string;
}

export function findSecrets(value: unknown, path: string[] = []): SecretFinding[] {
  if (typeof value === 'string') {
    return SECRET_VALUE.test(value.trim())
      ? [{ path: path.join('.'), reason: 'value looks like an API key' }]
      : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => findSecrets(v, [...path, String(i)]));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => {
      const here = [...path, k];
      if (SECRET_NAME.test(k)) return [{ path: here.join('.'), reason: `"${k}" looks like a secret field` }];
      return findSecrets(v, here);
    });
  }
  return [];
}

export function findUrlSecrets(url: string): SecretFinding[] {
  const parsed = new URL(url);
  const found: SecretFinding[] = [];
  if (parsed.username || parsed.password)
    found.push({ path: 'endpoint_url', reason: 'contains user credentials' });
  for (const [name] of parsed.searchParams) {
    if (SECRET_NAME.test(name))
      found.push({ path: 'endpoint_url', reason: `query parameter "${name}" looks like a secret` });
  }
  return found;
}

/** 422 when an endpoint definition carries a secret; the message says where keys go instead. */
export function assertNoSecrets(input: { config?: unknown; endpoint_url?: string | null }) {
  const findings = [
    ...(input.config ? findSecrets(input.config, ['config']) : []),
    ...(input.endpoint_url ? findUrlSecrets(input.endpoint_url) : []),
  ];
  if (findings.length) {
    throw new ApiError(
      422,
      'secret_not_allowed',
      'endpoints never store secrets: store the key as a provider secret of the project (POST /api/projects/{id}/secrets) ' +
        'and set secret_id, or name an allowed environment variable of the workers in api_key_env',
      findings,
    );
  }
}
