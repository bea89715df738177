import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;

/** Message types that end a unit of work in the Postgres wire protocol: Sync, simple Query, Flush, Terminate. */
const BATCH_END = new Set(['S', 'Q', 'H', 'X']);

interface Batch {
  connection: Connection;
  bytes: Buffer;
  done: () => void;
}

interface Connection {
  id: number;
  socket: Socket;
  buffer: Buffer;
  pending: Buffer[];
  started: boolean;
}

/**
 * Serves one PGlite over the Postgres wire protocol to many client connections.
 *
 * PGlite is a single backend session, so clients take turns. The unit of a turn is a whole protocol exchange
 * (everything up to Sync or a simple Query), because the extended protocol keeps state (the unnamed statement
 * and portal) between Parse, Bind and Execute. And while a transaction is open only its connection may go.
 * `@electric-sql/pglite-socket` interleaves individual messages of different connections, which breaks
 * concurrent parameterized queries ("unnamed prepared statement does not exist"); hence this server.
 */
export class PgliteServer {
  private server: Server | null = null;
  private readonly queue: Batch[] = [];
  private running = false;
  /** The connection whose transaction is open; only it may run until the transaction ends. */
  private owner: Connection | null = null;
  private nextId = 1;
  private readonly connections = new Set<Connection>();

  constructor(private readonly db: PGlite) {}

  async listen(port = 0, host = '127.0.0.1'): Promise<number> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const address = server.address();
    return typeof address === 'object' && address ? address.port : port;
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    while (this.running) await new Promise((r) => setTimeout(r, 5));
  }

  private accept(socket: Socket) {
    socket.setNoDelay(true);
    const connection: Connection = { id: this.nextId++, socket, buffer: Buffer.alloc(0), pending: [], started: false };
    this.connections.add(connection);
    socket.on('data', (data: Buffer) => this.receive(connection, data));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => void this.disconnect(connection));
  }

  private receive(c: Connection, data: Buffer) {
    c.buffer = c.buffer.length === 0 ? data : Buffer.concat([c.buffer, data]);
    for (;;) {
      if (!c.started) {
        if (c.buffer.length < 8) return;
        const length = c.buffer.readInt32BE(0);
        const code = c.buffer.readInt32BE(4);
        if (c.buffer.length < length) return;
        const packet = c.buffer.subarray(0, length);
        c.buffer = c.buffer.subarray(length);
        if (code === SSL_REQUEST) {
          c.socket.write('N');
          continue;
        }
        if (code === CANCEL_REQUEST) {
          c.socket.end();
          return;
        }
        if (code !== PROTOCOL_3) {
          c.socket.destroy();
          return;
        }
        c.started = true;
        this.submit(c, Buffer.from(packet));
        continue;
      }
      if (c.buffer.length < 5) return;
      const length = 1 + c.buffer.readInt32BE(1);
      if (c.buffer.length < length) return;
      const message = Buffer.from(c.buffer.subarray(0, length));
      c.buffer = c.buffer.subarray(length);
      const type = String.fromCharCode(message[0] ?? 0);
      if (type === 'X') {
        c.socket.end();
        return;
      }
      c.pending.push(message);
      if (BATCH_END.has(type)) {
        const bytes = Buffer.concat(c.pending);
        c.pending = [];
        this.submit(c, bytes);
      }
    }
  }

  private submit(connection: Connection, bytes: Buffer) {
    this.queue.push({ connection, bytes, done: () => undefined });
    void this.drain();
  }

  private async drain() {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        const index = this.owner ? this.queue.findIndex((b) => b.connection === this.owner) : 0;
        if (index < 0 || this.queue.length === 0) return;
        const [batch] = this.queue.splice(index, 1);
        if (!batch) return;
        const { socket } = batch.connection;
        try {
          await this.db.execProtocolRawStream(new Uint8Array(batch.bytes), {
            onRawData: (chunk: Uint8Array) => {
              if (!socket.destroyed) socket.write(chunk);
            },
          });
        } catch {
          socket.destroy();
        }
        this.owner = this.db.isInTransaction() ? batch.connection : null;
      }
    } finally {
      this.running = false;
    }
  }

  private async disconnect(c: Connection) {
    this.connections.delete(c);
    for (let i = this.queue.length - 1; i >= 0; i -= 1) if (this.queue[i]?.connection === c) this.queue.splice(i, 1);
    if (this.owner === c) {
      // A client died inside a transaction: roll it back so the others can go on.
      while (this.running) await new Promise((r) => setTimeout(r, 1));
      if (this.owner === c) {
        await this.db.exec('ROLLBACK').catch(() => undefined);
        this.owner = null;
      }
      void this.drain();
    }
  }
}
