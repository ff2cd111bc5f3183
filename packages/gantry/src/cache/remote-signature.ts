import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Turborepo's artifact signature, version 2 (turbo 2.x, `crates/turborepo-cache/src/
 * signature_authentication.rs`): HMAC-SHA256 over the domain prefix, the artifact hash, the
 * team id and the body, each preceded by its byte length as a little-endian u64, sent base64
 * (with padding) in `x-artifact-tag`. The older scheme (`hash ‖ teamId ‖ body`, unprefixed)
 * no longer verifies in turbo 2.x, so Gantry speaks only this one.
 */
const prefix = Buffer.from('artifact-signature:v2');

/**
 * The team bytes that go into the tag. turbo signs with its team *id* (`TURBO_TEAMID`) and
 * with empty bytes when it only knows a slug (`--team`/`TURBO_TEAM`); Gantry's `team` is an
 * id when it starts with `team_` (Vercel's id format) and a slug otherwise, the same rule
 * the client uses to choose between `?teamId=` and `?slug=`.
 */
export function signingTeamId(team: string | undefined): string {
  return team?.startsWith('team_') ? team : '';
}

export function artifactTag(key: string, hash: string, teamId: string, body: Buffer): string {
  const mac = createHmac('sha256', key);
  for (const field of [prefix, Buffer.from(hash), Buffer.from(teamId), body]) {
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(field.byteLength));
    mac.update(length).update(field);
  }
  return mac.digest('base64');
}

/** Constant-time check of a received `x-artifact-tag`; a missing or malformed tag fails. */
export function verifyArtifactTag(
  key: string,
  hash: string,
  teamId: string,
  body: Buffer,
  tag: string | undefined,
): boolean {
  if (!tag) return false;
  const expected = Buffer.from(artifactTag(key, hash, teamId, body), 'base64');
  const received = Buffer.from(tag, 'base64');
  return received.length === expected.length && timingSafeEqual(received, expected);
}
