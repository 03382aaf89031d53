/**
 * Guards against a hang in the mongodb driver (seen in 7.8.0; 7.9.1 has the same code).
 * Connection.writeCommand awaits the message's serialisation, then writes to the socket and,
 * when write() returns false, waits for 'drain'. If the server closed the connection during that
 * await, the socket is already destroyed: write() returns false, and a destroyed socket emits
 * neither 'drain' nor 'error', so the command waits forever. When that command is the server
 * monitor's check, the monitor never checks again and every operation fails server selection,
 * even after the database is back, until the process restarts (test/records/outage.test.ts hit
 * it in about 1 of 5 FerretDB restarts). The guard fails such a write with the connection's own
 * network error the moment the connection closes, as the driver does for reads.
 */
import { createRequire } from 'node:module';

interface DriverConnection {
  closed: boolean;
  error: unknown;
  once(event: 'close', listener: () => void): unknown;
  off(event: 'close', listener: () => void): unknown;
}
type WriteCommand = (this: DriverConnection, ...args: unknown[]) => Promise<void>;

const GUARDED = Symbol.for('steward.driverWriteGuard');

/** The driver's Connection class, as mongoose loads it (the copy whose sockets we use). */
function driverConnectionPrototype(): (Record<PropertyKey, unknown> & { writeCommand?: WriteCommand }) | null {
  try {
    const fromMongoose = createRequire(require.resolve('mongoose'));
    return fromMongoose('mongodb/lib/cmap/connection').Connection?.prototype ?? null;
  } catch {
    return null;
  }
}

/** Installs the guard once per process; false when the driver's internals are not as expected. */
export function guardDriverWrites(): boolean {
  const proto = driverConnectionPrototype();
  if (!proto || typeof proto.writeCommand !== 'function') return false;
  if (proto[GUARDED]) return true;
  const original = proto.writeCommand;
  const closedError = (c: DriverConnection) => c.error ?? new Error('connection closed');
  proto.writeCommand = function guardedWriteCommand(this: DriverConnection, ...args: unknown[]): Promise<void> {
    if (this.closed) return Promise.reject(closedError(this));
    const write = original.apply(this, args);
    return new Promise<void>((resolve, reject) => {
      const onClose = () => reject(closedError(this));
      this.once('close', onClose);
      void write.then(resolve, reject).finally(() => this.off('close', onClose));
    });
  };
  proto[GUARDED] = true;
  return true;
}
