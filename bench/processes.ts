// Child processes for the benchmark: each server runs in its own process so
// that it does not share an event loop with autocannon.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The repository: children resolve `tsx` and relative paths from here. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface ServerProcess {
  name: string;
  pid: number;
  port: number;
  url: string;
  /** Set when the process exited before `stop()` was called. */
  crashed: () => string | null;
  stop(): Promise<void>;
}

/**
 * Starts `node <args>` and waits for a stdout line matching `ready` whose
 * first group is the port. Later output goes to stderr, prefixed.
 */
export function startServer(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  timeoutMs = 20_000,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stopping = false;
  let crash: string | null = null;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code, signal) => {
    if (!stopping) crash = `${name} exited unexpectedly (code ${code}, signal ${signal})`;
  });
  createInterface({ input: child.stderr! }).on('line', (line) => console.error(`[${name}] ${line}`));

  return new Promise<ServerProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(crash ?? `${name} exited`));
    });
    let started = false;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = started ? null : ready.exec(line);
      if (!match) {
        // The start banner (account id, keys) is not news; logs and anything else are.
        if (started && !/^(Default account | {2})/.test(line)) console.error(`[${name}] ${line}`);
        return;
      }
      started = true;
      clearTimeout(timer);
      const port = Number(match[1]);
      resolve({
        name,
        pid: child.pid!,
        port,
        url: `http://127.0.0.1:${port}`,
        crashed: () => crash,
        stop: () => stopChild(child, exited, () => (stopping = true)),
      });
    });
  });
}

async function stopChild(child: ChildProcess, exited: Promise<void>, markStopping: () => void): Promise<void> {
  markStopping();
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killer);
}

/** Resident set size of a process, in kB (Linux: VmRSS in /proc/<pid>/status). */
export function residentKb(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!match) throw new Error(`no ${field} for process ${pid}`);
  return Number(match[1]);
}

/** CPU time (user + system, all threads) a process has used, in ms. Linux reports it in USER_HZ (100) ticks. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After "pid (comm) ", fields[0] is the state (field 3); utime and stime are fields 14 and 15.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
