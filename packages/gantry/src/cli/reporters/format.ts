import type { Result } from '../../engine/index.js';

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
}

export function statusIcon(status: Result | 'running' | 'queued' | 'not-triggered'): string {
  switch (status) {
    case 'success':
      return '✓';
    case 'failure':
      return '✗';
    case 'cancelled':
      return '⊘';
    case 'skipped':
      return '–';
    case 'running':
      return '●';
    default:
      return '○';
  }
}
