import { StringDecoder } from 'node:string_decoder';
import type { MaskingStream, SecretMasker } from '../secrets/masker.js';

/**
 * The path of a step's raw output: bytes → UTF-8 text (split characters are held by the
 * decoder) → the streaming masker (a secret split across chunks is still caught) → lines.
 * Lines are handed to `onLine` only after masking, so nothing downstream sees a secret.
 */
export class OutputPipe {
  private readonly decoder = new StringDecoder('utf8');
  private readonly stream: MaskingStream;
  private pending = '';

  constructor(
    masker: SecretMasker,
    private readonly onLine: (line: string) => void,
  ) {
    this.stream = masker.createStream();
  }

  write(chunk: Buffer): void {
    this.push(this.stream.write(this.decoder.write(chunk)));
  }

  /** Flushes everything held back; the last line may have no newline. */
  end(): void {
    this.push(this.stream.write(this.decoder.end()) + this.stream.end());
    if (this.pending.length > 0) {
      const last = this.pending;
      this.pending = '';
      this.onLine(last);
    }
  }

  private push(text: string): void {
    if (text.length === 0) return;
    let data = this.pending + text;
    let newline = data.indexOf('\n');
    while (newline !== -1) {
      const line =
        data.charCodeAt(newline - 1) === 13 ? data.slice(0, newline - 1) : data.slice(0, newline);
      this.onLine(line);
      data = data.slice(newline + 1);
      newline = data.indexOf('\n');
    }
    this.pending = data;
  }
}
