/** Step outputs for GitHub Actions: `name=value` lines appended to the file $GITHUB_OUTPUT names. */
import crypto from 'node:crypto';
import fs from 'node:fs';

/** Appends one output when $GITHUB_OUTPUT is set; synchronous, so it is on disk before anything that may
 * hang or be killed (a wait that times out, a cancelled job). A value with a newline uses the delimiter form. */
export function writeGithubOutput(env: NodeJS.ProcessEnv, name: string, value: string) {
  const file = env.GITHUB_OUTPUT;
  if (!file) return;
  if (!/[\r\n]/.test(value)) {
    fs.appendFileSync(file, `${name}=${value}\n`);
    return;
  }
  const delimiter = `EVALFORGE_${crypto.randomBytes(8).toString('hex')}`;
  fs.appendFileSync(file, `${name}<<${delimiter}\n${value}\n${delimiter}\n`);
}
