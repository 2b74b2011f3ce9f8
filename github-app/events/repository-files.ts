/** Files of a repository at a commit, through the Contents API (the App's Contents: Read permission). */
import { splitFullName } from '../../core/links.js';
import type { InstallationOctokit } from '../client.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class RepositoryFileTooLargeError extends Error {
  override name = 'RepositoryFileTooLargeError';
}

/**
 * The file's text at `ref`, or null when the commit has no such file. Read raw (no base64 1 MB limit);
 * refused above `maxBytes`. A commit SHA never changes, so a read can be repeated freely.
 */
export async function readRepositoryFile(
  octokit: InstallationOctokit,
  fullName: string,
  path: string,
  ref: string,
  maxBytes: number,
): Promise<string | null> {
  try {
    const { data } = await octokit.rest.repos.getContent({
      ...splitFullName(fullName),
      path,
      ref,
      mediaType: { format: 'raw' },
    });
    // Raw content arrives as text (GitHub says text/plain; charset=utf-8) or, for other types, as bytes;
    // a directory (or a submodule) at the path answers a JSON listing, which is not a file.
    const raw = data as unknown;
    const text =
      typeof raw === 'string'
        ? raw
        : raw instanceof ArrayBuffer || ArrayBuffer.isView(raw)
          ? utf8.decode(raw as ArrayBuffer)
          : null;
    if (text === null) return null;
    if (Buffer.byteLength(text, 'utf8') > maxBytes) {
      throw new RepositoryFileTooLargeError(`${path} is larger than ${maxBytes} bytes`);
    }
    return text;
  } catch (err) {
    if ((err as { status?: number }).status === 404) return null;
    throw err;
  }
}
