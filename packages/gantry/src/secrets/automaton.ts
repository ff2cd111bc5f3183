/** Shorter windows jump too little to pay for the jumping. */
const MIN_SKIP_WINDOW = 4;

/**
 * An Aho-Corasick automaton over UTF-16 code units, compiled to a dense transition table
 * (one table load per character, never a failure-link walk), plus a Wu-Manber shift table
 * that lets the scanner jump over text in which no pattern can start (see scan.ts).
 *
 * Layout: states are numbered breadth-first, so depth never decreases with the number, and
 * each owns a row of `classCount` entries in `next`. Only code units that occur in some
 * pattern get a class of their own; every other unit maps to class 0, which leads back to
 * the root. An entry holds the target's row offset (state * classCount), bitwise-negated
 * (`~row`) when the target ends at least one pattern, so matches cost a sign test.
 */
export class MatchAutomaton {
  /** Code unit → character class (0 = the unit occurs in no pattern). */
  readonly classOf = new Int32Array(0x10000);
  readonly classCount: number;
  /** Row-offset transitions; negative (`~row`) when the target state ends a match. */
  readonly next: Int32Array;
  /** Per state: the longest pattern that ends there (0 = none). */
  readonly longest: Int32Array;
  /** Per state: the length of the pattern prefix it stands for. */
  readonly depth: Int32Array;
  readonly maxLength: number;
  /** The skip window: the shortest pattern length, capped; below MIN_SKIP_WINDOW skipping is off. */
  readonly window: number;
  /** Rows below this belong to states shallower than `window`. */
  readonly shallowRows: number;
  /** Wu-Manber shifts keyed by blockHash of the low bytes of a window's last three code units. */
  readonly shift = new Uint8Array(0x10000);

  constructor(patterns: Iterable<string>) {
    const list = [...patterns].filter((p) => p.length > 0);
    let classCount = 1;
    for (const pattern of list) {
      for (let i = 0; i < pattern.length; i++) {
        const unit = pattern.charCodeAt(i);
        if (this.classOf[unit] === 0) this.classOf[unit] = classCount++;
      }
    }
    this.classCount = classCount;
    const { children, own } = this.trie(list);
    const count = children.length;
    this.next = new Int32Array(count * classCount);
    this.longest = new Int32Array(count);
    this.depth = new Int32Array(count);
    this.compile(children, own);
    this.maxLength = list.reduce((max, p) => Math.max(max, p.length), 0);
    this.window = list.length === 0 ? 0 : list.reduce((min, p) => Math.min(min, p.length), 32);
    let shallow = 0;
    while (shallow < count && this.depth[shallow]! < this.window) shallow++;
    this.shallowRows = this.window >= MIN_SKIP_WINDOW ? shallow * classCount : 0;
    this.fillShifts(list);
  }

  // Children per trie node as class → node, and the length of a pattern ending at each node.
  private trie(list: string[]): { children: Array<Map<number, number>>; own: number[] } {
    const children: Array<Map<number, number>> = [new Map()];
    const own = [0];
    for (const pattern of list) {
      let node = 0;
      for (let i = 0; i < pattern.length; i++) {
        const cls = this.classOf[pattern.charCodeAt(i)]!;
        let child = children[node]!.get(cls);
        if (child === undefined) {
          child = children.push(new Map()) - 1;
          own.push(0);
          children[node]!.set(cls, child);
        }
        node = child;
      }
      own[node] = pattern.length;
    }
    return { children, own };
  }

  // Breadth-first: a state's failure target is shallower, so its row is final before it is
  // copied, and its `longest` is known before any entry pointing to it is encoded.
  private compile(children: Array<Map<number, number>>, own: number[]): void {
    const { next, longest, depth, classCount } = this;
    const order = [0];
    for (let head = 0; head < order.length; head++)
      for (const child of children[order[head]!]!.values()) order.push(child);
    const id = new Int32Array(order.length);
    order.forEach((node, index) => (id[node] = index));
    const fail = new Int32Array(order.length);
    for (let state = 0; state < order.length; state++) {
      const row = state * classCount;
      const failRow = fail[state]! * classCount;
      if (state !== 0) next.copyWithin(row, failRow, failRow + classCount);
      for (const [cls, node] of children[order[state]!]!) {
        const child = id[node]!;
        const entry = next[failRow + cls]!;
        const target = state === 0 ? 0 : (entry < 0 ? ~entry : entry) / classCount;
        fail[child] = target;
        depth[child] = depth[state]! + 1;
        longest[child] = Math.max(own[node]!, longest[target]!);
        next[row + cls] = longest[child]! > 0 ? ~(child * classCount) : child * classCount;
      }
    }
  }

  // A window whose last three units are not units j−2..j of any pattern (for j below
  // `window`) can move on by window − 1 − j: the largest jump that skips no possible start.
  // Blocks of three keep most jumps long even with hundreds of patterns.
  private fillShifts(list: string[]): void {
    const m = this.window;
    this.shift.fill(Math.max(0, m - 2));
    if (this.shallowRows === 0) return;
    for (const pattern of list) {
      for (let j = 2; j < m; j++) {
        // The scanner hashes the low bytes of code units (see scan.ts), so the table must too.
        const hash = blockHash(
          pattern.charCodeAt(j - 2) & 0xff,
          pattern.charCodeAt(j - 1) & 0xff,
          pattern.charCodeAt(j) & 0xff,
        );
        this.shift[hash] = Math.min(this.shift[hash]!, m - 1 - j);
      }
    }
  }
}

/** Hashes three bytes into the shift table; collisions only shorten jumps. */
export function blockHash(first: number, second: number, third: number): number {
  return Math.imul((first << 16) | (second << 8) | third, 0x9e3779b1) >>> 16;
}
