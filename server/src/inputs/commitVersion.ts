// A mail's `base-commit:` read as a kernel version: the top-level Makefile at that commit, from
// the git repository the document (or the kernel tree) sits in. No table of release commits is
// available offline, so a commit the local repository does not have tells nothing.
//
// git is run with everything that could reach out or run configured programs turned off: no
// lazy fetch of missing objects, no transport at all, no fsmonitor, no terminal prompt; and
// `cat-file` reads objects only (no index, no work tree, no filters).

import { execFileSync } from 'node:child_process';
import { parseMakefileVersion, type MakefileVersion } from './kernelTree';

const GIT_TIMEOUT_MS = 3000;
const known = new Map<string, MakefileVersion | undefined>();

/** The version the kernel Makefile had at `commit`, as the repository around `directory` has it. */
export function commitVersion(directory: string, commit: string): MakefileVersion | undefined {
  if (!/^[0-9a-f]{7,40}$/.test(commit)) return undefined;
  const key = `${directory}\0${commit}`;
  if (known.has(key)) return known.get(key);
  let version: MakefileVersion | undefined;
  try {
    const makefile = execFileSync('git', ['-c', 'protocol.allow=never', '-c', 'core.fsmonitor=false', 'cat-file', 'blob', `${commit}:Makefile`], {
      cwd: directory,
      encoding: 'utf8',
      timeout: GIT_TIMEOUT_MS,
      maxBuffer: 4 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, GIT_NO_LAZY_FETCH: '1', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' },
    });
    version = parseMakefileVersion(makefile);
  } catch {
    version = undefined; // not a repository, no such commit, no git: unresolved
  }
  known.set(key, version);
  return version;
}
