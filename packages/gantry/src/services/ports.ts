import net from 'node:net';

/** Whether nothing listens on 127.0.0.1:`port` (it can be bound right now). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

/** A loopback port the kernel reports free. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const taken = new Set<number>();

/**
 * The host port of a service: the declared host port when it is free (so `localhost:5432`
 * keeps working), else any free port. Ports handed out in this process are not handed out
 * twice while their service runs (two jobs starting at once both see 5432 free).
 */
export async function choosePort(wanted: number | undefined): Promise<number> {
  if (wanted !== undefined && !taken.has(wanted) && (await isPortFree(wanted))) {
    taken.add(wanted);
    return wanted;
  }
  for (;;) {
    const port = await freePort();
    if (!taken.has(port)) {
      taken.add(port);
      return port;
    }
  }
}

export function releasePort(port: number): void {
  taken.delete(port);
}

/** One TCP exchange: connects, writes `request`, resolves with what came back before `done`. */
export function tcpExchange(
  port: number,
  request: Buffer | string,
  done: (reply: Buffer) => boolean,
  timeoutMs = 2000,
): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ port, host: '127.0.0.1' });
    const finish = (value: Buffer | undefined) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(timeoutMs, () => finish(undefined));
    socket.once('error', () => finish(undefined));
    socket.once('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const reply = Buffer.concat(chunks);
      if (done(reply)) finish(reply);
    });
    socket.once('end', () => finish(Buffer.concat(chunks)));
  });
}
