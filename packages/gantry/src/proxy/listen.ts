import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GantryError } from '../errors/index.js';

/**
 * Starts listening and resolves with the bound port. A taken port becomes
 * GANTRY_PROXY_PORT_IN_USE naming it, since "which port?" is the first thing a user asks
 * when two environments (or a forgotten proxy) collide.
 */
export function listen(server: Server, port: number, host: string, role: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      if (error.code !== 'EADDRINUSE') {
        reject(error);
        return;
      }
      reject(
        new GantryError(
          'GANTRY_PROXY_PORT_IN_USE',
          `the deployment proxy cannot listen on ${host}:${port} for its ${role}: port ${port} is already in use`,
          {
            cause: error,
            hint: `stop whatever holds port ${port} (\`ss -ltnp 'sport = :${port}'\` shows it) or configure another port`,
          },
        ),
      );
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/**
 * Stops accepting, closes idle keep-alive connections and lets busy ones finish their
 * response; whatever still runs after `graceMs` is cut. Resolves once closed. Node closes
 * idle connections only once, at `close()`; a connection whose response ends later would
 * stay open until its keep-alive timeout, so idle ones are swept again while draining.
 */
export function close(server: Server, graceMs: number): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), 25);
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    sweep.unref();
    force.unref();
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}
