/** Where the backend listens when `VITE_API_URL` is not set (uvicorn's default port). */
export const DEFAULT_API_URL = 'http://localhost:8000';

/**
 * The API base URL from the build environment (`VITE_API_URL`), without trailing slashes.
 * An empty value means "same origin" (the UI served behind the same proxy as the API).
 */
export function resolveApiBase(env: { VITE_API_URL?: string | undefined }): string {
  const raw = env.VITE_API_URL;
  if (raw === undefined) return DEFAULT_API_URL;
  const trimmed = raw.trim().replace(/\/+$/, '');
  if (trimmed === '') return '';
  if (trimmed.startsWith('/')) return trimmed;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new Error(`VITE_API_URL is not a URL: ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`VITE_API_URL must be http(s), got ${url.protocol}`);
  }
  return trimmed;
}
