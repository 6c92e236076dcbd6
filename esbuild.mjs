// Bundles the entry points that exist into dist/ as CommonJS and copies the
// tree-sitter wasm files next to them. Type checking is `tsc -b`'s job.
// `--production` (npm run package, via vscode:prepublish): minified, names kept, no source maps.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');

const common = {
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  keepNames: production,
  logLevel: 'warning',
};

// The language client bundles its own copy of vscode-languageserver-protocol; resolve
// protocol.ts's import of it to that copy too, so the client bundle holds one, not two.
const protocolFromLanguageClient = {
  name: 'protocol-from-languageclient',
  setup(build) {
    const resolveDir = dirname(require.resolve('vscode-languageclient/node'));
    build.onResolve({ filter: /^vscode-languageserver-protocol$/ }, (args) =>
      args.pluginData === 'resolved' ? undefined : build.resolve(args.path, { kind: args.kind, resolveDir, pluginData: 'resolved' }),
    );
  },
};

const nodeEntryPoints = [
  { in: 'server/src/cli/main.ts', out: 'cli' },
  { in: 'server/src/server.ts', out: 'server' },
].filter((entry) => existsSync(entry.in));

mkdirSync('dist', { recursive: true });
if (production) {
  for (const name of readdirSync('dist')) if (name.endsWith('.map')) rmSync(`dist/${name}`);
}

const builds = [];
if (nodeEntryPoints.length > 0) {
  builds.push(
    esbuild.build({
      ...common,
      entryPoints: nodeEntryPoints,
      // web-tree-sitter's ESM build reads import.meta.url; give it the bundle's own URL.
      define: { 'import.meta.url': '__mmlensImportMetaUrl' },
      banner: { js: 'const __mmlensImportMetaUrl = require("url").pathToFileURL(__filename).href;' },
    }),
  );
}
if (existsSync('client/src/extension.ts')) {
  builds.push(
    esbuild.build({
      ...common,
      entryPoints: [{ in: 'client/src/extension.ts', out: 'client' }],
      external: ['vscode'],
      plugins: [protocolFromLanguageClient],
    }),
  );
}
await Promise.all(builds);

for (const wasm of ['web-tree-sitter/web-tree-sitter.wasm', 'tree-sitter-c/tree-sitter-c.wasm']) {
  let source;
  try {
    source = require.resolve(wasm);
  } catch {
    continue; // the parser is not a dependency yet
  }
  copyFileSync(source, `dist/${wasm.split('/').pop()}`);
}
