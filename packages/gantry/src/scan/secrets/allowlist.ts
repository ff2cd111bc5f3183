import type { Allowlist } from './types.js';

/** What allowlists test a candidate finding against. */
interface Candidate {
  readonly secret: string;
  readonly match: string;
  readonly line: string;
}

/**
 * Before a fragment is searched: is its file or commit allowed? For `AND` lists that also
 * test regexes or stopwords this cannot be decided yet (gitleaks defers them likewise).
 */
export function pathOrCommitAllowed(
  lists: readonly Allowlist[],
  file: string,
  commit: string | undefined,
): boolean {
  if (file === '' && commit === undefined) return false;
  for (const list of lists) {
    const commitOk = commit !== undefined && list.commits.has(commit.toLowerCase());
    const pathOk = file !== '' && list.paths.some((re) => re.test(file));
    if (list.condition === 'AND') {
      if (list.regexes.length > 0 || list.stopwords.length > 0) continue;
      if ((list.commits.size === 0 || commitOk) && (list.paths.length === 0 || pathOk)) return true;
    } else if (commitOk || pathOk) return true;
  }
  return false;
}

/** After a match: do the allowlists' regexes (on their target) or stopwords allow it? */
export function findingAllowed(
  lists: readonly Allowlist[],
  candidate: Candidate,
  file: string,
  commit: string | undefined,
): boolean {
  for (const list of lists) {
    const target =
      list.regexTarget === 'match'
        ? candidate.match
        : list.regexTarget === 'line'
          ? candidate.line
          : candidate.secret;
    const regexOk = target !== '' && list.regexes.some((re) => re.test(target));
    const lower = candidate.secret.toLowerCase();
    const stopwordOk = candidate.secret !== '' && list.stopwords.some((w) => lower.includes(w));
    if (list.condition === 'AND') {
      const commitOk =
        list.commits.size === 0 || (commit !== undefined && list.commits.has(commit.toLowerCase()));
      const pathOk =
        list.paths.length === 0 || (file !== '' && list.paths.some((re) => re.test(file)));
      const regexesOk = list.regexes.length === 0 || regexOk;
      const stopwordsOk = list.stopwords.length === 0 || stopwordOk;
      if (commitOk && pathOk && regexesOk && stopwordsOk) return true;
    } else if (regexOk || stopwordOk) return true;
  }
  return false;
}
