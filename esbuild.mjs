// Bundles the entry points that exist into dist/ as CommonJS and copies the
// tree-sitter wasm files next to them. Type checking is `tsc -b`'s job.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');

const entryPoints = [
  { in: 'server/src/cli/main.ts', out: 'cli' },
  { in: 'server/src/server.ts', out: 'server' },
  { in: 'client/src/extension.ts', out: 'client' },
].filter((entry) => existsSync(entry.in));

mkdirSync('dist', { recursive: true });

await esbuild.build({
  entryPoints,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // web-tree-sitter's ESM build reads import.meta.url; give it the bundle's own URL.
  define: { 'import.meta.url': '__mmlensImportMetaUrl' },
  banner: { js: 'const __mmlensImportMetaUrl = require("url").pathToFileURL(__filename).href;' },
});

for (const wasm of ['web-tree-sitter/web-tree-sitter.wasm', 'tree-sitter-c/tree-sitter-c.wasm']) {
  let source;
  try {
    source = require.resolve(wasm);
  } catch {
    continue; // the parser is not a dependency yet
  }
  copyFileSync(source, `dist/${wasm.split('/').pop()}`);
}
