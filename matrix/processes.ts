/**
 * Process supervision for the matrix: every command runs in a process group of its own, with its
 * output appended to a log file, a deadline, and a stop that takes its whole group (a worker that
 * outlived its parent included). Nothing here knows about SSE.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';

const KILL_GRACE_MS = 3_000;

const children = new Set<ChildProcess>();
/** Every command runs in a process group of its own (detached), so that what it starts goes too. */
const ownGroup = process.platform !== 'win32';

/** Sends `signal` to the child's process group (or to the child alone where there are none). */
function signalChild(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(ownGroup ? -child.pid : child.pid, signal);
  } catch {
    /* already gone */
  }
}

/** On SIGINT/SIGTERM, every process group still running is killed before this process exits. */
export function killChildrenOnSignal(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const child of children) signalChild(child, 'SIGKILL');
      process.exit(130);
    });
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export interface Spawned {
  child: ChildProcess;
  /** Set once the child has exited: "exit code N", "signal S" or the spawn error. */
  exited: () => string | undefined;
}

/** Starts a long-running command in its own group, its output appended to `logFd`. */
export function startLogged(cmd: string, args: string[], cwd: string, logFd: number, env: NodeJS.ProcessEnv = process.env): Spawned {
  const child = spawn(cmd, args, { cwd, stdio: ['ignore', logFd, logFd], env, detached: ownGroup });
  children.add(child);
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited ??= code !== null ? `exit code ${code}` : `signal ${signal}`;
  });
  child.once('error', (error) => {
    exited ??= error.message;
    writeSync(logFd, `\n[matrix] could not run ${cmd}: ${error.message}\n`);
  });
  return { child, exited: () => exited };
}

/** Runs a command to completion, its output appended to the log; killed (with its group) after `timeoutMs`. */
export function runLogged(cmd: string, args: string[], cwd: string, logFd: number, timeoutMs: number, env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; timedOut: boolean }> {
  return new Promise((done) => {
    const { child } = startLogged(cmd, args, cwd, logFd, env);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      signalChild(child, 'SIGKILL');
    }, timeoutMs);
    const finish = (code: number | null) => {
      clearTimeout(timer);
      children.delete(child);
      done({ code, timedOut });
    };
    child.once('error', () => finish(null));
    child.once('exit', (code) => finish(code));
  });
}

/**
 * SIGTERM to the child's process group, then SIGKILL after the grace period; resolves once the
 * child is gone. Whatever is left of its group gets SIGKILL.
 */
export function stop(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
      children.delete(child);
      signalChild(child, 'SIGKILL');
      return done();
    }
    const timer = setTimeout(() => signalChild(child, 'SIGKILL'), KILL_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      children.delete(child);
      signalChild(child, 'SIGKILL');
      done();
    });
    signalChild(child, 'SIGTERM');
  });
}

function answers(port: number): Promise<boolean> {
  return new Promise((done) => {
    const req = request({ host: '127.0.0.1', port, path: '/', method: 'GET', timeout: 1000 }, (res) => {
      res.resume();
      done(true);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => done(false));
    req.end();
  });
}

/** Waits until the process answers HTTP at all (any status), it exits, or the time is up; null when up. */
export async function waitUntilUp(spawned: Spawned, port: number, timeoutMs: number): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const exited = spawned.exited();
    if (exited) return `the adapter exited before answering (${exited})`;
    if (await answers(port)) return null;
    await new Promise((r) => setTimeout(r, 150));
  }
  return `no HTTP answer on 127.0.0.1:${port} within ${timeoutMs / 1000} s`;
}

/** The last lines of a log file. */
export function tail(path: string, lines = 20): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
