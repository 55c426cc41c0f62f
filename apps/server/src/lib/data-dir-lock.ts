import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The embedded database may be open in one process only (PGlite has no multi-process access).
 * The server holds `<dataDir>/server.lock` while it runs; it records the port and a one-time
 * secret so the CLI can ask the running server to do the work instead of opening the files.
 */
export interface LockInfo {
  pid: number;
  port: number;
  host: string;
  startedAt: string;
  cliSecret: string;
}

export const lockPath = (dataDir: string) => path.join(dataDir, 'server.lock');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lock of a live process holding the data directory, or null (a stale lock is ignored). */
export function readLock(dataDir: string): LockInfo | null {
  try {
    const info = JSON.parse(readFileSync(lockPath(dataDir), 'utf8')) as LockInfo;
    return info.pid !== process.pid && alive(info.pid) ? info : null;
  } catch {
    return null;
  }
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockInfo,
  ) {
    super(
      `数据目录 ${dataDir} 正被进程 ${holder.pid} 使用（端口 ${holder.port}）。请先停止该进程，或改用其他 DATA_DIR。\nThe data directory ${dataDir} is in use by process ${holder.pid} (port ${holder.port}).`,
    );
  }
}

/** Takes the lock or throws DataDirLockedError. Returns the release function. */
export function acquireLock(dataDir: string, info: Omit<LockInfo, 'pid' | 'startedAt' | 'cliSecret'>): { release: () => void; cliSecret: string } {
  mkdirSync(dataDir, { recursive: true });
  const holder = readLock(dataDir);
  if (holder) throw new DataDirLockedError(dataDir, holder);
  const cliSecret = randomBytes(24).toString('base64url');
  const mine: LockInfo = { ...info, pid: process.pid, startedAt: new Date().toISOString(), cliSecret };
  writeFileSync(lockPath(dataDir), JSON.stringify(mine), { mode: 0o600 });
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    try {
      const cur = JSON.parse(readFileSync(lockPath(dataDir), 'utf8')) as LockInfo;
      if (cur.pid === process.pid) rmSync(lockPath(dataDir));
    } catch {
      /* already gone */
    }
  };
  return { release, cliSecret };
}

/** Rewrites the lock once the real port is known (PORT=0 picks a free one). */
export function updateLock(dataDir: string, patch: Partial<LockInfo>) {
  const cur = JSON.parse(readFileSync(lockPath(dataDir), 'utf8')) as LockInfo;
  writeFileSync(lockPath(dataDir), JSON.stringify({ ...cur, ...patch }), { mode: 0o600 });
}
