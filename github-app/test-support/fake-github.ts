/**
 * A local GitHub REST server for tests (real HTTP on 127.0.0.1): App installation token exchange
 * (verifying the App's RS256 JWT), check runs, issue comments and pull request files. It records
 * every call, so tests assert what GitHub would have received; failures can be injected per route.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  path: string;
  body: Record<string, unknown> | null;
  authorization: string | undefined;
}

export interface FakeCheckRun {
  id: number;
  owner: string;
  repo: string;
  head_sha: string;
  name: string;
  status: string;
  conclusion: string | null;
  external_id: string | null;
  details_url: string | null;
  output: { title?: string; summary?: string; text?: string } | null;
}

export interface FakeComment {
  id: number;
  issue: string;
  body: string;
  user: { login: string; type: 'Bot' | 'User' };
}

interface Injected {
  method: string;
  path: RegExp;
  status: number;
  times: number;
}

export interface FakeGitHub {
  url: string;
  appId: number;
  privateKey: string;
  calls: RecordedCall[];
  checkRuns: Map<number, FakeCheckRun>;
  comments: Map<number, FakeComment>;
  /** Files of a pull request, as `owner/repo#n` → file names. */
  setPullRequestFiles(fullName: string, prNumber: number, files: string[]): void;
  /** A file of the repository at a commit, served by the Contents API (raw or base64 JSON). */
  setFile(fullName: string, ref: string, path: string, content: string): void;
  /** A comment written by someone else (a person, or another bot). */
  addComment(fullName: string, prNumber: number, body: string, user?: FakeComment['user']): FakeComment;
  failNext(method: string, path: RegExp, status: number, times?: number): void;
  /** A token this server accepts without the App exchange, like the GITHUB_TOKEN of an Actions job. */
  issueToken(): string;
  /** GitHub hangs: every request waits, unanswered, until the returned function is called. */
  hold(): () => void;
  /** GitHub unreachable: while false, every connection is reset before an answer. */
  setReachable(reachable: boolean): void;
  callsTo(method: string, path: RegExp): RecordedCall[];
  close(): Promise<void>;
}

const INSTALLATION_TOKEN_PREFIX = 'ghs_fake_';

function verifyAppJwt(
  authorization: string | undefined,
  publicKey: crypto.KeyObject,
  appId: number,
): boolean {
  const token = /^bearer (.+)$/i.exec(authorization ?? '')?.[1];
  const [header, payload, signature] = token?.split('.') ?? [];
  if (!header || !payload || !signature) return false;
  const valid = crypto.verify(
    'sha256',
    Buffer.from(`${header}.${payload}`),
    publicKey,
    Buffer.from(signature, 'base64url'),
  );
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { iss?: unknown; exp?: number };
  return valid && String(claims.iss) === String(appId) && (claims.exp ?? 0) * 1000 > Date.now();
}

export async function startFakeGitHub(opts: { appId?: number } = {}): Promise<FakeGitHub> {
  const appId = opts.appId ?? 424242;
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const calls: RecordedCall[] = [];
  const checkRuns = new Map<number, FakeCheckRun>();
  const comments = new Map<number, FakeComment>();
  const prFiles = new Map<string, string[]>();
  const repoFiles = new Map<string, string>();
  const injected: Injected[] = [];
  const issuedTokens = new Set<string>();
  let nextId = 1000;
  let reachable = true;
  const holds = new Set<Promise<void>>();
  const releases = new Set<() => void>();

  const server = http.createServer(async (req, res) => {
    if (!reachable) {
      req.socket.destroy();
      return;
    }
    while (holds.size > 0) await Promise.all(holds);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
    calls.push({ method, path: url.pathname, body, authorization: req.headers.authorization });
    const send = (status: number, data: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(data));
    };

    const fault = injected.find((f) => f.method === method && f.path.test(url.pathname) && f.times > 0);
    if (fault) {
      fault.times -= 1;
      return send(fault.status, { message: `injected ${fault.status}` });
    }

    let m = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(url.pathname);
    if (m && method === 'POST') {
      if (!verifyAppJwt(req.headers.authorization, publicKey, appId))
        return send(401, { message: 'Bad credentials' });
      const token = `${INSTALLATION_TOKEN_PREFIX}${m[1]}_${crypto.randomBytes(8).toString('hex')}`;
      issuedTokens.add(token);
      return send(201, {
        token,
        expires_at: new Date(Date.now() + 3_600_000).toISOString(),
        permissions: { checks: 'write', pull_requests: 'write', contents: 'read' },
        repository_selection: 'all',
      });
    }

    // Everything else needs an installation token this server issued (GitHub takes either scheme).
    const token = /^(?:token|bearer) (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !issuedTokens.has(token)) return send(401, { message: 'Bad credentials' });

    m = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/files$/.exec(url.pathname);
    if (m && method === 'GET') {
      const files = prFiles.get(`${m[1]}/${m[2]}#${m[3]}`.toLowerCase()) ?? [];
      return send(
        200,
        files.map((filename) => ({ filename, status: 'modified', additions: 1, deletions: 0, changes: 1 })),
      );
    }

    m = /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/.exec(url.pathname);
    if (m && method === 'GET') {
      const path = decodeURIComponent(m[3]);
      const repo = `${m[1]}/${m[2]}`.toLowerCase();
      const content = repoFiles.get(`${repo}@${url.searchParams.get('ref')}:${path}`);
      if (content === undefined) return send(404, { message: 'Not Found' });
      if (/raw/.test(String(req.headers.accept))) {
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
        return res.end(content);
      }
      return send(200, {
        type: 'file',
        path,
        encoding: 'base64',
        size: Buffer.byteLength(content),
        content: Buffer.from(content).toString('base64'),
      });
    }

    m = /^\/repos\/([^/]+)\/([^/]+)\/check-runs$/.exec(url.pathname);
    if (m && method === 'POST') {
      const check: FakeCheckRun = {
        id: nextId++,
        owner: m[1],
        repo: m[2],
        head_sha: String(body?.head_sha),
        name: String(body?.name),
        status: String(body?.status ?? 'queued'),
        conclusion: (body?.conclusion as string) ?? null,
        external_id: (body?.external_id as string) ?? null,
        details_url: (body?.details_url as string) ?? null,
        output: (body?.output as FakeCheckRun['output']) ?? null,
      };
      checkRuns.set(check.id, check);
      return send(201, check);
    }

    m = /^\/repos\/([^/]+)\/([^/]+)\/check-runs\/(\d+)$/.exec(url.pathname);
    if (m && method === 'PATCH') {
      const check = checkRuns.get(Number(m[3]));
      if (!check) return send(404, { message: 'Not Found' });
      Object.assign(check, body);
      return send(200, check);
    }

    m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname);
    if (m && method === 'GET') {
      const issue = `${m[1]}/${m[2]}#${m[3]}`.toLowerCase();
      return send(
        200,
        [...comments.values()].filter((c) => c.issue === issue),
      );
    }
    if (m && method === 'POST') {
      const comment: FakeComment = {
        id: nextId++,
        issue: `${m[1]}/${m[2]}#${m[3]}`.toLowerCase(),
        body: String(body?.body),
        user: { login: 'evalforge[bot]', type: 'Bot' },
      };
      comments.set(comment.id, comment);
      return send(201, comment);
    }

    m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(url.pathname);
    if (m && method === 'PATCH') {
      const comment = comments.get(Number(m[3]));
      if (!comment) return send(404, { message: 'Not Found' });
      comment.body = String(body?.body);
      return send(200, comment);
    }

    return send(404, { message: `fake GitHub has no route for ${method} ${url.pathname}` });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    appId,
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    calls,
    checkRuns,
    comments,
    setPullRequestFiles: (fullName, prNumber, files) =>
      prFiles.set(`${fullName}#${prNumber}`.toLowerCase(), files),
    setFile: (fullName, ref, path, content) =>
      repoFiles.set(`${fullName.toLowerCase()}@${ref}:${path}`, content),
    addComment: (fullName, prNumber, body, user = { login: 'octocat', type: 'User' }) => {
      const comment: FakeComment = {
        id: nextId++,
        issue: `${fullName}#${prNumber}`.toLowerCase(),
        body,
        user,
      };
      comments.set(comment.id, comment);
      return comment;
    },
    failNext: (method, path, status, times = 1) => injected.push({ method, path, status, times }),
    issueToken: () => {
      const token = `${INSTALLATION_TOKEN_PREFIX}actions_${crypto.randomBytes(8).toString('hex')}`;
      issuedTokens.add(token);
      return token;
    },
    hold: () => {
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = () => {
          holds.delete(held);
          releases.delete(release);
          resolve();
        };
      });
      holds.add(held);
      releases.add(release);
      return release;
    },
    setReachable: (value) => {
      reachable = value;
    },
    callsTo: (method, path) => calls.filter((c) => c.method === method && path.test(c.path)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const release of [...releases]) release();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
