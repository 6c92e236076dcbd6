// How a Node process for the language server is best started: the flags and environment the
// VS Code client, the test client and the bench all use, and that docs/editors.md shows for other
// editors. They keep resident memory down where the defaults trade it for throughput the server
// does not need (measured in docs/simulator.md, "What the language server keeps"):
// - a young generation of 2 MB semi-spaces instead of 16 MB: each analysis allocates a lot of
//   short-lived data, and the default lets every burst grow the young generation to its cap;
// - one malloc arena and an eager trim, so that memory glibc got for V8's off-heap buffers goes
//   back to the system instead of staying in per-thread arenas.

export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];

export const SERVER_ENV: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: '1',
  MALLOC_TRIM_THRESHOLD_: '131072',
};

/** The environment of a server process started from one with `base`. */
export function serverEnvironment(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...base, ...SERVER_ENV };
}
