import { Buffer } from 'node:buffer';
import type { MatchAutomaton } from './automaton.js';
import { addRange, type Ranges } from './ranges.js';

/** Text is scanned in segments of this many code units, the size of the byte scratch. */
const SEGMENT = 0x10000;

/**
 * The skip phase reads the text as bytes: a typed-array load costs a fraction of a
 * `charCodeAt`. Writing a string as latin1 keeps the low byte of every UTF-16 code unit (a
 * plain copy for one-byte strings), and the shift table is built from the same low bytes.
 */
const scratch = Buffer.allocUnsafe(SEGMENT);

/**
 * Feeds `text` (which starts at absolute offset `base`) through the automaton from state row
 * `row`, records every match in `ranges`, and returns the exact row reached at the end.
 */
export function scan(
  automaton: MatchAutomaton,
  text: string,
  base: number,
  row: number,
  ranges: Ranges,
): number {
  if (automaton.maxLength === 0) return 0;
  if (text.length <= SEGMENT) return scanSegment(automaton, text, base, row, ranges);
  for (let start = 0; start < text.length; start += SEGMENT) {
    row = scanSegment(automaton, text.slice(start, start + SEGMENT), base + start, row, ranges);
  }
  return row;
}

/**
 * Two phases alternate:
 * - exact: one table step per character. A match records only the longest pattern ending
 *   there; every shorter one ending there lies inside it.
 * - skip (Wu-Manber): while the automaton is shallower than the shortest pattern (`window`),
 *   no match can start before `q` = position − depth. The last three units of the window
 *   [q, q + window) tell how far `q` can jump without passing a possible start. When it
 *   cannot jump, the exact phase restarts from the root at `q` and hands back as soon as `q`
 *   has moved on (usually after a character or two). The text re-read from `q` is shorter
 *   than any pattern, so no match is reported twice.
 * Log text rarely contains the start of a secret, so most characters are jumped over.
 */
function scanSegment(
  automaton: MatchAutomaton,
  text: string,
  base: number,
  row: number,
  ranges: Ranges,
): number {
  const { next, classOf, longest, classCount, depth, shift, window, shallowRows } = automaton;
  const n = text.length;
  if (shallowRows > 0) scratch.write(text, 0, 'latin1');
  let i = 0;
  // The exact phase hands over only when the earliest possible start is past `from`, which
  // guarantees progress; -1 at first, since a start before this text cannot be skipped from.
  let from = -1;
  for (;;) {
    let q = -1;
    for (; i < n; i++) {
      const entry = next[row + classOf[text.charCodeAt(i)]!]!;
      if (entry >= 0) {
        row = entry;
      } else {
        row = ~entry;
        const end = base + i + 1;
        addRange(ranges, end - longest[row / classCount]!, end);
      }
      if (row < shallowRows) {
        q = i + 1 - depth[row / classCount]!;
        if (q > from) break;
      }
    }
    if (i >= n - 1) return row;
    // The common jump is the full one; keeping it a constant step (rather than `w += jump`)
    // lets the CPU run ahead of the table loads. The hash is blockHash, inlined.
    const full = window - 2;
    let w = q + window - 1;
    while (w < n) {
      const jump =
        shift[
          Math.imul((scratch[w - 2]! << 16) | (scratch[w - 1]! << 8) | scratch[w]!, 0x9e3779b1) >>>
            16
        ]!;
      if (jump === full) w += full;
      else if (jump === 0) break;
      else w += jump;
    }
    q = w - window + 1;
    row = 0;
    i = from = q;
  }
}
