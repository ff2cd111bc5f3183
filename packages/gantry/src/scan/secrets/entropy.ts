/**
 * Shannon entropy as gitleaks computes it: character frequencies over the length in UTF-8
 * bytes, so both tools drop the same low-entropy matches (identical for ASCII secrets).
 */
export function shannonEntropy(text: string): number {
  if (text === '') return 0;
  const counts = new Map<number, number>();
  let bytes = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    counts.set(code, (counts.get(code) ?? 0) + 1);
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / bytes;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}
