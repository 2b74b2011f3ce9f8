/** `evalforge validate`: checks an evalforge.yaml locally (no server), as `evalforge run -c` would read it. */
import { DEFAULT_EVAL_CONFIG_PATH } from '../../core/eval-config.js';
import { formatIssue, readConfigFile } from '../config-file.js';
import { type CliContext, note, print, printJson } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { usageError } from '../flags.js';

export async function validateCommand(
  ctx: CliContext,
  args: string[],
  f: { config?: string; root?: string },
): Promise<number> {
  if (args.length > 1 || (args.length === 1 && f.config))
    throw usageError('usage: evalforge validate [-c <file>]');
  const file = f.config ?? args[0] ?? DEFAULT_EVAL_CONFIG_PATH;
  const checked = readConfigFile(file, { root: f.root });
  const valid = checked.issues.length === 0;
  if (ctx.json) {
    printJson(ctx, { file, valid, issues: checked.issues });
  } else if (valid) {
    const files = Object.entries(checked.files).map(([p, text]) => `${p}, ${Buffer.byteLength(text)} bytes`);
    print(ctx, `${file}: valid${files.length ? ` (dataset ${files.join('; ')})` : ''}`);
  } else {
    for (const issue of checked.issues) print(ctx, formatIssue(file, issue));
    const n = checked.issues.length;
    note(ctx, `${file} is not valid: ${n} problem${n === 1 ? '' : 's'}`);
  }
  return valid ? EXIT.OK : EXIT.USAGE;
}
