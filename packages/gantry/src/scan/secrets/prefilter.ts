import { Buffer } from 'node:buffer';
import { MatchAutomaton } from '../../secrets/automaton.js';
import type { SecretRule } from './types.js';

/**
 * The keyword prefilter: one automaton over every rule's keywords, run over raw UTF-8 bytes
 * (no decoding, no lower-casing copy: ASCII upper-case letters share their lower-case
 * letter's class), telling which rules may match a fragment. Only those rules' regexes run,
 * and only on fragments with a hit, which is what makes a history scan fast. Keywords are
 * matched within a line; non-ASCII letters in keywords match their exact case only.
 */
export class KeywordPrefilter {
  /** Rules without keywords: gitleaks runs them on every fragment. */
  readonly always: readonly number[];
  /** Rules whose keywords occurred since `begin()`, in order of discovery. */
  readonly candidates: number[] = [];
  readonly hasKeywords: boolean;
  private readonly next: Int32Array;
  private readonly classes = new Int32Array(256);
  private readonly classCount: number;
  private readonly longest: Int32Array;
  private readonly keywordRules = new Map<string, number[]>();
  private readonly stateRules: Array<readonly number[] | undefined>;
  private readonly stateSeen: Int32Array;
  private readonly ruleSeen: Int32Array;
  private fragment = 1;

  constructor(rules: readonly SecretRule[]) {
    rules.forEach((rule, index) => {
      for (const keyword of rule.keywords) {
        const bytes = Buffer.from(keyword, 'utf8').toString('latin1');
        this.keywordRules.set(bytes, [...(this.keywordRules.get(bytes) ?? []), index]);
      }
    });
    this.always = rules.flatMap((rule, index) => (rule.keywords.length === 0 ? [index] : []));
    this.hasKeywords = this.keywordRules.size > 0;
    const automaton = new MatchAutomaton(this.keywordRules.keys());
    this.next = automaton.next;
    this.classCount = automaton.classCount;
    this.longest = automaton.longest;
    for (let unit = 0; unit < 256; unit++) this.classes[unit] = automaton.classOf[unit]!;
    for (let upper = 0x41; upper <= 0x5a; upper++)
      this.classes[upper] = this.classes[upper + 0x20]!;
    this.stateRules = new Array<readonly number[] | undefined>(automaton.longest.length);
    this.stateSeen = new Int32Array(automaton.longest.length);
    this.ruleSeen = new Int32Array(rules.length);
  }

  /** Starts a new fragment: forgets the candidates of the last one. */
  begin(): void {
    this.fragment++;
    this.candidates.length = 0;
  }

  /** Feeds bytes [start, end) — one line or more — from the root state. */
  scan(bytes: Uint8Array, start: number, end: number): void {
    const { next, classes } = this;
    let row = 0;
    for (let i = start; i < end; i++) {
      const entry = next[row + classes[bytes[i]!]!]!;
      if (entry >= 0) row = entry;
      else {
        row = ~entry;
        this.hit(row / this.classCount, bytes, i);
      }
    }
  }

  private hit(state: number, bytes: Uint8Array, end: number): void {
    if (this.stateSeen[state] === this.fragment) return;
    this.stateSeen[state] = this.fragment;
    let rules = this.stateRules[state];
    if (rules === undefined) {
      // Every keyword ending here is a suffix of the longest one, which the state fixes.
      const length = this.longest[state]!;
      let text = '';
      for (let i = end + 1 - length; i <= end; i++) {
        const b = bytes[i]!;
        text += String.fromCharCode(b >= 0x41 && b <= 0x5a ? b + 0x20 : b);
      }
      const found = new Set<number>();
      for (const [keyword, ids] of this.keywordRules)
        if (text.endsWith(keyword)) for (const id of ids) found.add(id);
      rules = [...found];
      this.stateRules[state] = rules;
    }
    for (const rule of rules) {
      if (this.ruleSeen[rule] === this.fragment) continue;
      this.ruleSeen[rule] = this.fragment;
      this.candidates.push(rule);
    }
  }
}
