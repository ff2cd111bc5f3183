import { GantryError } from '../../errors/index.js';
import { definedEnv, runProcess } from '../../executor/process.js';
import type { Detector, RawFinding } from './detect.js';
import { commitFormat, DiffReader } from './diff-reader.js';
import { isGitWorkTree, resolveCommit } from './git.js';
import type { KeywordPrefilter } from './prefilter.js';

/** A stopped `git log` needs no grace period: it holds no state worth a clean exit. */
const quickKill = { interruptMs: 100, terminateMs: 500 };

/**
 * Every commit of every ref, as gitleaks reads history: `git log -p -U0 --full-history --all
 * --diff-filter=tuxdb` (added, copied, modified and renamed files), streamed through the
 * DiffReader chunk by chunk, so memory stays flat however long the history is. The options
 * after it pin the output format against user configuration (colour, external diff tools,
 * textconv, prefixes, signatures, path quoting).
 */
export async function scanHistory(
  root: string,
  since: string | undefined,
  detector: Detector,
  prefilter: KeywordPrefilter,
): Promise<{ findings: RawFinding[]; bytes: number }> {
  if (!isGitWorkTree(root))
    throw new GantryError('GANTRY_GIT_FAILED', `${root} is not inside a git repository`, {
      hint: 'scan the working tree without --history, or point at a git checkout',
    });
  const exclude = since === undefined ? [] : ['--not', resolveCommit(root, since, '--since')];
  const findings: RawFinding[] = [];
  let failure: unknown;
  const abort = new AbortController();
  const reader = new DiffReader(prefilter, (fragment, rules) => {
    findings.push(...detector.detect(fragment, rules));
  });
  let stderr = '';
  const result = await runProcess({
    command: 'git',
    args: [
      '-C',
      root,
      '-c',
      'core.quotePath=false',
      'log',
      '-p',
      '-U0',
      '--full-history',
      '--all',
      '--diff-filter=tuxdb',
      '--no-color',
      '--no-ext-diff',
      '--no-textconv',
      '--no-show-signature',
      '--src-prefix=a/',
      '--dst-prefix=b/',
      commitFormat,
      ...exclude,
    ],
    cwd: root,
    env: definedEnv(),
    signal: abort.signal,
    killSequence: quickKill,
    onOutput: (chunk, stream) => {
      if (stream === 'stderr') {
        if (stderr.length < 65_536) stderr += chunk.toString('utf8');
        return;
      }
      if (failure !== undefined) return;
      try {
        reader.push(chunk);
      } catch (error) {
        failure = error;
        abort.abort();
      }
    },
  });
  if (failure !== undefined) throw failure;
  if (result.exitCode !== 0)
    throw new GantryError(
      'GANTRY_GIT_FAILED',
      `git log failed in ${root} (${result.failedToStart ?? `exit ${result.exitCode ?? result.signal}`}): ${stderr.trim().split('\n').slice(-3).join(' ')}`,
    );
  reader.end();
  return { findings, bytes: reader.bytes };
}
