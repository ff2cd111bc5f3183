import type { EventsConfig } from '@actions/workflow-parser/model/workflow-template';
import { GantryError } from '../errors/index.js';
import { ignoreFilter, includeFilter } from './pattern.js';

/** The event to test a workflow's `on:` against. */
export interface TriggerEvent {
  readonly name: string;
  /** Full ref: refs/heads/x, refs/tags/v1, refs/pull/7/merge. */
  readonly ref: string;
  /** pull_request: the base branch name, e.g. `main`. */
  readonly baseRef?: string;
  /** The activity type, e.g. pull_request's `opened`. */
  readonly action?: string;
  /** Paths changed by the event; undefined when they could not be computed (path filters then pass). */
  readonly changedFiles?: readonly string[];
}

export interface TriggerResult {
  readonly triggered: boolean;
  readonly reason: string;
}

type Filters = Readonly<Record<string, unknown>>;
type Check = { ok: true; note?: string } | { ok: false; reason: string };
/** How a failed include list (`miss`) or ignore list (`ignored`) is worded in the reason. */
type Wording = { miss: string; ignored: string };

// "If no activity types are specified, the workflow runs when a pull request is opened,
// reopened, or when the head branch of the pull request is updated" (events-that-trigger-workflows.md).
const PULL_REQUEST_DEFAULT_TYPES = ['opened', 'synchronize', 'reopened'];
const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);
// "Diffs are limited to 300 files" (workflow-syntax.md, "Git diff comparisons").
const MAX_DIFF_FILES = 300;
const PAIRS = ['branches', 'tags', 'paths'] as const;

const list = (patterns: readonly string[]): string => `[${patterns.join(', ')}]`;
const stripHeads = (ref: string): string => ref.replace(/^refs\/heads\//, '');

/** A non-empty filter list, or undefined (an absent or empty list filters nothing, as in act). */
function patternsOf(filters: Filters, key: string): readonly string[] | undefined {
  const value = filters[key];
  return Array.isArray(value) && value.length > 0 ? value.map(String) : undefined;
}

/**
 * Rejects what GitHub rejects in any event's filters, whichever event fires: "You cannot use
 * both the `branches` and `branches-ignore` filters for the same event" (same for tags and paths),
 * and invalid patterns.
 */
function validate(events: Filters): void {
  for (const [event, raw] of Object.entries(events)) {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) continue;
    const filters = raw as Filters;
    for (const key of PAIRS) {
      const include = patternsOf(filters, key);
      const ignore = patternsOf(filters, `${key}-ignore`);
      if (include && ignore) {
        throw new GantryError(
          'GANTRY_CONFIG_INVALID',
          `on.${event} uses both ${key} and ${key}-ignore, which GitHub does not allow`,
          {
            hint: `Keep ${key} and exclude with '!' patterns instead of ${key}-ignore.`,
          },
        );
      }
      if (include) includeFilter(include, `on.${event}.${key}`);
      if (ignore) ignoreFilter(ignore, `on.${event}.${key}-ignore`);
    }
  }
}

/** Checks one name (branch, tag or path) list against `key` / `key-ignore`; undefined when neither is set. */
function checkNames(
  filters: Filters,
  event: string,
  key: string,
  names: readonly string[],
  say: Wording,
): Check | undefined {
  const include = patternsOf(filters, key);
  const ignore = patternsOf(filters, `${key}-ignore`);
  if (include) {
    const matches = includeFilter(include, `on.${event}.${key}`);
    return names.some(matches)
      ? { ok: true, note: `${key} ${list(include)}` }
      : { ok: false, reason: `${say.miss} ${key} ${list(include)}` };
  }
  if (ignore) {
    const ignored = ignoreFilter(ignore, `on.${event}.${key}-ignore`);
    // "If any path names do not match patterns in paths-ignore ... the workflow will run."
    return names.some((n) => !ignored(n))
      ? { ok: true, note: `${key}-ignore ${list(ignore)}` }
      : { ok: false, reason: `${say.ignored} ${key}-ignore ${list(ignore)}` };
  }
  return undefined;
}

/** Path filters: only the first 300 files count, and no changed file means no run. */
function checkPaths(
  filters: Filters,
  event: string,
  changed: readonly string[] | undefined,
): Check | undefined {
  if (!patternsOf(filters, 'paths') && !patternsOf(filters, 'paths-ignore')) return undefined;
  if (changed === undefined) return { ok: true, note: 'paths (changed files unknown)' };
  if (changed.length === 0)
    return { ok: false, reason: 'no files changed, so path filters do not match' };
  const files = changed.slice(0, MAX_DIFF_FILES);
  return checkNames(filters, event, 'paths', files, {
    miss: 'no changed file matches',
    ignored: 'every changed file matches',
  });
}

/**
 * push filters. "If you define only tags/tags-ignore or only branches/branches-ignore, the workflow
 * won't run for events affecting the undefined Git ref"; "Path filters are not evaluated for pushes of tags".
 */
function checkPush(filters: Filters, ref: string): Check {
  const isTag = ref.startsWith('refs/tags/');
  const name = isTag ? ref.slice('refs/tags/'.length) : stripHeads(ref);
  const [own, other] = isTag ? ['tags', 'branches'] : ['branches', 'tags'];
  const hasOwn = patternsOf(filters, own) ?? patternsOf(filters, `${own}-ignore`);
  const hasOther = patternsOf(filters, other) ?? patternsOf(filters, `${other}-ignore`);
  if (!hasOwn && hasOther)
    return { ok: false, reason: `push to ${ref} does not trigger: on.push filters only ${other}` };
  return (
    checkNames(filters, 'push', own, [name], {
      miss: `push to ${ref} does not match`,
      ignored: `push to ${ref} matches`,
    }) ?? { ok: true }
  );
}

function checkTypes(filters: Filters, event: TriggerEvent): Check {
  const declared = patternsOf(filters, 'types');
  const types =
    declared ?? (PULL_REQUEST_EVENTS.has(event.name) ? PULL_REQUEST_DEFAULT_TYPES : undefined);
  // Gantry's pull_request events default to `opened`, as GitHub's first event for a new PR.
  const action = event.action ?? (PULL_REQUEST_EVENTS.has(event.name) ? 'opened' : undefined);
  if (!types || action === undefined || types.includes(action)) return { ok: true };
  return { ok: false, reason: `${event.name} type '${action}' not in types ${list(types)}` };
}

/** Decides, as GitHub does, whether `events` (a workflow's converted `on:`) runs for `event`. */
export function evaluateTrigger(
  events: EventsConfig | Filters,
  event: TriggerEvent,
): TriggerResult {
  validate(events);
  if (!Object.hasOwn(events, event.name))
    return { triggered: false, reason: `workflow does not listen to ${event.name}` };
  const raw = (events as Filters)[event.name];
  // `on: [push]`, `push:` and `push: {}` all mean "no filters"; schedule is a list of crons.
  const filters: Filters =
    raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Filters) : {};
  const checks: Array<Check | undefined> = [checkTypes(filters, event)];
  if (event.name === 'push') {
    checks.push(checkPush(filters, event.ref));
    if (!event.ref.startsWith('refs/tags/'))
      checks.push(checkPaths(filters, 'push', event.changedFiles));
  } else if (PULL_REQUEST_EVENTS.has(event.name)) {
    // "Sequence of patterns matched against refs/heads" of the branch the pull request targets.
    const base = event.baseRef === undefined ? undefined : stripHeads(event.baseRef);
    const into = `${event.name} into ${base}`;
    const say = { miss: `${into} does not match`, ignored: `${into} matches` };
    const hasBranchFilter =
      patternsOf(filters, 'branches') ?? patternsOf(filters, 'branches-ignore');
    if (base === undefined && hasBranchFilter)
      checks.push({
        ok: false,
        reason: `${event.name} has no base branch to match its branch filters against`,
      });
    else if (base !== undefined)
      checks.push(checkNames(filters, event.name, 'branches', [base], say));
    checks.push(checkPaths(filters, event.name, event.changedFiles));
  }
  const failed = checks.find((c): c is { ok: false; reason: string } => c !== undefined && !c.ok);
  if (failed) return { triggered: false, reason: failed.reason };
  const notes = checks.flatMap((c) => (c?.ok && c.note ? [c.note] : []));
  if (notes.length === 0) return { triggered: true, reason: `workflow listens to ${event.name}` };
  const subject = PULL_REQUEST_EVENTS.has(event.name)
    ? `${event.name} into ${stripHeads(event.baseRef ?? '')}`
    : `${event.name} to ${event.ref}`;
  return { triggered: true, reason: `${subject} matches ${notes.join(' and ')}` };
}
