// How a `ringpath` command reaches the embedded PostgreSQL of a running
// `ringpath serve`: serve writes the server's connection string into DATA_DIR
// (readable by its owner only) while it runs; a command finds it there and
// connects, instead of starting a second server on the same data.
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const CONNECTION_FILE = 'postgres.connection.json';

export interface SharedConnection {
  /** The connection string of the running embedded PostgreSQL. */
  readonly url: string;
  /** The `ringpath serve` process that owns it. */
  readonly pid: number;
}

export const connectionFile = (dataDir: string): string => path.join(dataDir, CONNECTION_FILE);

/** The file's content when it is a connection a process published; undefined for anything else. */
export function parseSharedConnection(text: string): SharedConnection | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { url, pid } = value as Record<string, unknown>;
  if (typeof url !== 'string' || !/^postgres(ql)?:\/\//.test(url)) return undefined;
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return undefined;
  return { url, pid };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether PostgreSQL runs on `<dataDir>/postgres`: its lock file names a live process. */
async function postmasterRuns(dataDir: string): Promise<boolean> {
  try {
    const pid = Number((await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 && alive(pid);
  } catch {
    return false;
  }
}

/**
 * The connection of a running serve on this DATA_DIR; undefined when none runs:
 * a file left by a killed serve (its process, or its PostgreSQL, is gone) is ignored.
 */
export async function findSharedConnection(dataDir: string): Promise<SharedConnection | undefined> {
  let text: string;
  try {
    text = await readFile(connectionFile(dataDir), 'utf8');
  } catch {
    return undefined;
  }
  const shared = parseSharedConnection(text);
  if (!shared || shared.pid === process.pid || !alive(shared.pid) || !(await postmasterRuns(dataDir))) return undefined;
  return shared;
}

/** Publishes this process's embedded server, mode 0600 (it holds the password); answers the function that takes it back. */
export async function publishConnection(dataDir: string, url: string): Promise<() => Promise<void>> {
  const file = connectionFile(dataDir);
  // created anew, so the mode is the one asked for even where an earlier file was wider
  await rm(file, { force: true });
  await writeFile(file, `${JSON.stringify({ url, pid: process.pid } satisfies SharedConnection)}\n`, { mode: 0o600, flag: 'wx' });
  return async () => {
    const now = await readFile(file, 'utf8').catch(() => '');
    if (parseSharedConnection(now)?.pid === process.pid) await rm(file, { force: true });
  };
}
