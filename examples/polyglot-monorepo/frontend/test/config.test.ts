import { describe, expect, it } from 'vitest';
import { DEFAULT_API_URL, resolveApiBase } from '../src/config';

describe('resolveApiBase', () => {
  it('defaults to the local backend', () => {
    expect(resolveApiBase({})).toBe(DEFAULT_API_URL);
  });

  it('strips trailing slashes and whitespace', () => {
    expect(resolveApiBase({ VITE_API_URL: ' https://api.example.com/v1/// ' })).toBe(
      'https://api.example.com/v1',
    );
  });

  it('treats empty as same origin and keeps absolute paths', () => {
    expect(resolveApiBase({ VITE_API_URL: '' })).toBe('');
    expect(resolveApiBase({ VITE_API_URL: '/' })).toBe('');
    expect(resolveApiBase({ VITE_API_URL: '/backend/' })).toBe('/backend');
  });

  it('rejects values that are not http(s) URLs', () => {
    expect(() => resolveApiBase({ VITE_API_URL: 'localhost:8000' })).toThrow(/must be http/);
    expect(() => resolveApiBase({ VITE_API_URL: 'not a url' })).toThrow(/is not a URL/);
    expect(() => resolveApiBase({ VITE_API_URL: 'ftp://x' })).toThrow(/must be http/);
  });
});
