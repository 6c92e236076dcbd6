// Child processes the tests own: each in its own process group, so stopping it also
// stops what it started (code-server's extension host, our language server …).

import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface OwnedProcess {
  readonly child: ChildProcess;
  /** Everything it printed so far (stdout and stderr interleaved), for failure messages. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output; rejects if the process exits first or on timeout. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (null if killed by a signal); rejects on timeout. */
  waitForExit(timeoutMs: number): Promise<number | null>;
  /** SIGTERM to the group, SIGKILL after a grace period; resolves once it has exited. */
  stop(): Promise<void>;
}

const live = new Set<OwnedProcess>();

// A test that crashes must not leave editors running on a shared machine.
process.once('exit', () => {
  for (const proc of live) killGroup(proc.child, 'SIGKILL');
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

export function startOwned(command: string, args: readonly string[], options: SpawnOptions = {}): OwnedProcess {
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer): void => {
    text += chunk.toString('utf8');
    if (text.length > 1_000_000) text = text.slice(-500_000);
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  let exited = child.exitCode !== null;
  let spawnError: Error | undefined;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
      for (const listener of listeners) listener();
    });
    child.once('error', (error) => {
      spawnError = error;
      exited = true;
      resolve();
      for (const listener of listeners) listener();
    });
  });

  const proc: OwnedProcess = {
    child,
    output: () => text,
    waitForOutput(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const done = (): void => {
          listeners.delete(check);
          clearTimeout(timer);
        };
        const check = (): void => {
          const match = text.match(pattern);
          if (match) {
            done();
            resolve(match);
          } else if (exited) {
            done();
            const why = spawnError ? `could not start: ${spawnError.message}` : `exited with ${child.exitCode ?? child.signalCode}`;
            reject(new Error(`${command} ${why} before printing ${pattern}; output:\n${text.slice(-4000)}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${command} did not print ${pattern} within ${timeoutMs} ms; output:\n${text.slice(-4000)}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    async waitForExit(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${command} did not exit within ${timeoutMs} ms; output:\n${text.slice(-4000)}`)), timeoutMs);
      });
      try {
        await Promise.race([exit, timeout]);
      } finally {
        clearTimeout(timer);
      }
      if (spawnError) throw new Error(`${command} could not start: ${spawnError.message}`);
      return child.exitCode;
    },
    async stop() {
      live.delete(proc);
      if (exited) {
        killGroup(child, 'SIGKILL'); // the leader is gone; its children may not be
        return;
      }
      killGroup(child, 'SIGTERM');
      const grace = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
      await exit;
      clearTimeout(grace);
      // The leader may exit before its children: make sure the group is gone.
      killGroup(child, 'SIGKILL');
    },
  };
  live.add(proc);
  return proc;
}
