import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/**
 * A WebSocket client written by hand on a TCP socket, for the one thing a
 * library client will not do: never read. It sends the upgrade and masked
 * text frames, and its socket stays paused, so whatever the server sends
 * piles up in the kernel and then in the server.
 */
export class RawSocket {
  private constructor(readonly socket: Socket) {}

  static open(url: string): Promise<RawSocket> {
    const { hostname, port, pathname } = new URL(url);
    const socket = connect({ host: hostname, port: Number(port) });
    socket.pause();
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.write(
          [
            `GET ${pathname} HTTP/1.1`,
            `Host: ${hostname}:${port}`,
            'Upgrade: websocket',
            'Connection: Upgrade',
            `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
            'Sec-WebSocket-Version: 13',
            '',
            '',
          ].join('\r\n'),
        );
        resolve(new RawSocket(socket));
      });
    });
  }

  /** Sends one masked text frame (as every client-to-server frame must be). */
  send(message: Record<string, unknown>): void {
    const payload = Buffer.from(JSON.stringify(message));
    const mask = randomBytes(4);
    const length = payload.length;
    const header =
      length < 126
        ? Buffer.from([0x81, 0x80 | length])
        : length < 65_536
          ? Buffer.from([0x81, 0x80 | 126, length >> 8, length & 0xff])
          : Buffer.concat([Buffer.from([0x81, 0x80 | 127]), Buffer.from(new BigUint64Array([BigInt(length)]).buffer).reverse()]);
    const masked = Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] as number)));
    this.socket.write(Buffer.concat([header, mask, masked]));
  }

  /** Resolves once the server has closed or cut the connection. */
  closed(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed) return resolve();
      this.socket.once('close', () => resolve());
      this.socket.resume(); // read (and drop) everything, to see the end
    });
  }

  destroy(): void {
    this.socket.destroy();
  }
}
