import { describe, expect, it } from 'vitest';
import {
  client,
  hostEnv,
  processesMatching,
  requireServer,
  start,
  withOwnTmpdir,
} from './helpers.js';

requireServer('redis-server', 'redis-server');

describe('redis service', () => {
  it('serves PING on its port, persists nothing, and honours --health-cmd "redis-cli ping"', async () => {
    const { services } = await start({
      cache: {
        image: 'redis:7-alpine',
        ports: ['6379'],
        options:
          '--health-cmd "redis-cli ping" --health-interval 10s --health-timeout 5s --health-retries 5',
      },
    });
    const port = String(services.context()['cache']?.ports['6379']);
    try {
      expect(client('redis-cli', ['-p', port, 'PING'])).toBe('PONG');
      expect(client('redis-cli', ['-p', port, 'CONFIG', 'GET', 'save'])).toBe('save');
      expect(client('redis-cli', ['-p', port, 'CONFIG', 'GET', 'appendonly'])).toBe(
        'appendonly\nno',
      );
    } finally {
      await services.stop();
    }
    expect(() => client('redis-cli', ['-p', port, 'PING'])).toThrow();
    expect(processesMatching(`--port ${port}`)).toEqual([]);
  });

  it('gives each job its own instance', async () => {
    const one = await start({ r: { image: 'redis', ports: ['6379:6379'] } });
    const two = await start({ r: { image: 'redis', ports: ['6379:6379'] } });
    const p1 = String(one.services.context()['r']?.ports['6379']);
    const p2 = String(two.services.context()['r']?.ports['6379']);
    try {
      expect(p1).not.toBe(p2);
      client('redis-cli', ['-p', p1, 'SET', 'k', 'one']);
      expect(client('redis-cli', ['-p', p2, 'GET', 'k'])).toBe('');
    } finally {
      await Promise.all([one.services.stop(), two.services.stop()]);
    }
  });

  it('names the Debian package when redis-server is not installed', async () => {
    const error = await start(
      { r: { image: 'redis:7' } },
      { env: { ...hostEnv(), PATH: '/nonexistent' } },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'GANTRY_SERVICE_BINARY_MISSING' });
    expect(String((error as Error).message)).toContain("'redis:7'");
    expect((error as { hint?: string }).hint).toBe('install it: apt-get install -y redis-server');
  });

  it('stops the service when the job is cancelled while it starts', async () => {
    const controller = new AbortController();
    controller.abort();
    await withOwnTmpdir(async (root) => {
      const error = await start({ r: { image: 'redis' } }, { signal: controller.signal }).catch(
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'GANTRY_SERVICE_FAILED' });
      expect(String((error as Error).message)).toContain('cancelled');
      expect(processesMatching(root)).toEqual([]);
    });
  });
});
