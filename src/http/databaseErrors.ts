/**
 * Recognising a database outage in an error, without importing the driver: by the error
 * names the MongoDB driver and mongoose use. Shared by the app's error handler and the
 * console (which answers it as a page); channels may import this, not the store.
 */
/** Driver errors that mean "the database cannot be reached", not "this request was wrong". */
const UNREACHABLE = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
]);

/**
 * True when the error (or its cause) says the database is unreachable: no server to select, a
 * dropped connection, or mongoose giving up on a command it buffered while disconnected.
 */
export function isDatabaseUnavailable(e: unknown, depth = 0): boolean {
  if (typeof e !== 'object' || e === null || depth > 3) return false;
  const err = e as { name?: unknown; message?: unknown; cause?: unknown };
  if (typeof err.name === 'string' && UNREACHABLE.has(err.name)) return true;
  if (typeof err.message === 'string' && /buffering timed out after/.test(err.message)) return true;
  return isDatabaseUnavailable(err.cause, depth + 1);
}
