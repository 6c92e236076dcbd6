// Where the two WebAssembly files live. They are always passed to `loadCParser` explicitly;
// these helpers only compute the usual places.

import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The web-tree-sitter runtime and the C grammar, as file paths. */
export interface WasmPaths {
  /** `web-tree-sitter.wasm` from the `web-tree-sitter` package. */
  readonly runtime: string;
  /** `tree-sitter-c.wasm` from the `tree-sitter-c` package. */
  readonly grammar: string;
}

export const RUNTIME_WASM = 'web-tree-sitter.wasm';
export const GRAMMAR_WASM = 'tree-sitter-c.wasm';

/** The files inside the installed npm packages (development and tests). */
export function wasmPathsFromPackages(): WasmPaths {
  return {
    runtime: require.resolve(`web-tree-sitter/${RUNTIME_WASM}`),
    grammar: require.resolve(`tree-sitter-c/${GRAMMAR_WASM}`),
  };
}

/** The copies that `esbuild.mjs` puts next to the bundles in `dist/`. */
export function wasmPathsNextTo(directory: string): WasmPaths {
  return { runtime: join(directory, RUNTIME_WASM), grammar: join(directory, GRAMMAR_WASM) };
}

/**
 * Next to the running bundle when both copies are there (dist/), else from the packages.
 * `bundleDirectory` defaults to this module's directory, which is `dist/` once bundled.
 */
export function defaultWasmPaths(bundleDirectory: string = __dirname): WasmPaths {
  const bundled = wasmPathsNextTo(bundleDirectory);
  if (existsSync(bundled.runtime) && existsSync(bundled.grammar)) return bundled;
  return wasmPathsFromPackages();
}
