import { Buffer } from 'node:buffer';

/**
 * The strings that must be masked for one secret value: the value itself plus the forms it
 * takes when a tool re-encodes it before printing (JSON, URLs, base64, line by line).
 */

/**
 * A fragment (one line of a multi-line value, or a trimmed value) is only registered when it
 * has at least this many characters and a letter or digit. Structural lines such as `{`,
 * `},`, `]` or `-----` identify nothing: registering them masks every brace in the log
 * (actions/runner#326). Little is lost by skipping them, because the masker scans the
 * output as a stream rather than line by line, so the whole multi-line value — registered
 * unconditionally — still matches wherever it is printed as is; fragments only matter when
 * a tool re-indents or re-wraps the value.
 */
export const MIN_FRAGMENT_LENGTH = 4;

/**
 * Partial base64 forms (see base64Fragments) shorter than this are dropped: a few base64
 * characters occur by chance in any hash or id and would mask them (again actions/runner#326,
 * where `{` became `ew==`).
 */
export const MIN_BASE64_FRAGMENT_LENGTH = 6;

const hasLetterOrDigit = /[\p{L}\p{N}]/u;

/** All forms to mask for `value`; empty when the value is empty or only whitespace. */
export function derivedForms(value: string): string[] {
  if (value.trim() === '') return [];
  const forms = new Set<string>([value]);
  // Splitting on runs of CR/LF handles LF, CRLF and lone CR endings and drops empty lines.
  for (const line of value.split(/[\r\n]+/)) {
    const fragment = line.trim();
    if (isDistinctive(fragment)) forms.add(fragment);
  }
  // A value pasted with a trailing newline is usually printed (and encoded) without it.
  const trimmed = value.trim();
  for (const base of isDistinctive(trimmed) ? new Set([value, trimmed]) : [value]) {
    for (const form of [...jsonForms(base), ...urlForms(base), ...base64Forms(base)])
      forms.add(form);
  }
  return [...forms];
}

function isDistinctive(fragment: string): boolean {
  return fragment.length >= MIN_FRAGMENT_LENGTH && hasLetterOrDigit.test(fragment);
}

// The value as it appears inside a JSON string literal (#1488, #2232), also with non-ASCII
// escaped as \uXXXX the way Python's json.dumps and others write it.
function jsonForms(value: string): string[] {
  const escaped = JSON.stringify(value).slice(1, -1);
  const ascii = escaped.replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return [escaped, ascii];
}

// encodeURIComponent, RFC 3986 strict (also !'()*, as .NET's EscapeDataString used by the
// runner) and form encoding (application/x-www-form-urlencoded: space as +, !'()~ escaped).
function urlForms(value: string): string[] {
  let component: string;
  try {
    component = encodeURIComponent(value);
  } catch {
    return []; // a lone surrogate cannot be URL-encoded, so no tool can print it that way
  }
  const strict = component.replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  const form = new URLSearchParams([['', value]]).toString().slice(1);
  return [component, strict, form];
}

/**
 * The whole value in base64 (and base64url), plus the fragments that stay the same when the
 * value is encoded as part of a longer string: after a prefix whose length mod 3 is 0, 1 or 2
 * bytes, and before any suffix (actions/runner#291: `echo $SECRET | base64` encodes a trailing
 * newline, which changes the last character and drops the padding). Typical case: a password
 * inside `Authorization: Basic base64(user:password)`.
 */
function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const forms = [bytes.toString('base64')];
  const fragments = [bytes.toString('base64url')];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    // Characters before `start` mix in prefix bits; characters from `end` on mix in suffix bits.
    const start = Math.ceil((4 * shift) / 3);
    const end = Math.floor((4 * (shift + bytes.length)) / 3);
    const fragment = encoded.slice(start, end);
    fragments.push(fragment, fragment.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [
    ...forms,
    ...fragments.filter((fragment) => fragment.length >= MIN_BASE64_FRAGMENT_LENGTH),
  ];
}
