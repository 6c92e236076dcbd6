// Packages the extension the way `npm run package` does, in a copy of the project (so dist/
// here keeps its development build), and checks the .vsix against the .vscodeignore allow-list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { repoRoot } from '../helpers/paths';
import { zipEntries } from '../helpers/zip';

const root = repoRoot();
const MAX_BYTES = 3 * 1024 * 1024;
/** Files vsce writes itself, and the names it gives the files it copies. */
const VSCE_FILES = ['[Content_Types].xml', 'extension.vsixmanifest', 'extension/package.json'];
const VSCE_NAMES: Readonly<Record<string, string>> = { 'README.md': 'readme.md', 'CHANGELOG.md': 'changelog.md', LICENSE: 'LICENSE.txt' };

/** The project as a clean checkout would have it: tracked and untracked files, not ignored ones. */
function copyProject(to: string): void {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
  assert.equal(listed.status, 0, listed.stderr);
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    if (!existsSync(join(root, file))) continue; // deleted in the working tree
    mkdirSync(dirname(join(to, file)), { recursive: true });
    copyFileSync(join(root, file), join(to, file));
  }
  symlinkSync(join(root, 'node_modules'), join(to, 'node_modules'), 'dir');
}

function files(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === '.git') return [];
    return statSync(path).isDirectory() ? files(path, base) : [relative(base, path)];
  });
}

/** The `!path` lines of .vscodeignore as regular expressions (`*` within a segment, `**` across). */
function allowList(project: string): RegExp[] {
  return readFileSync(join(project, '.vscodeignore'), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('!'))
    .map((line) => line.slice(1).trim().replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\0').replace(/\*/g, '[^/]*').replace(/\0/g, '.*'))
    .map((pattern) => new RegExp(`^${pattern}$`));
}

test('npm run package: a .vsix under 3 MB with exactly the allow-listed files, production bundles only', () => {
  const work = mkdtempSync(join(tmpdir(), 'mmlens-vsix-'));
  try {
    copyProject(work);
    const vsix = join(work, 'mmlens.vsix');
    // vsce runs the vscode:prepublish script (the production build) first.
    const packaged = spawnSync(process.execPath, [join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--out', vsix], { cwd: work, encoding: 'utf8' });
    assert.equal(packaged.status, 0, packaged.stdout + packaged.stderr);

    const zip = readFileSync(vsix);
    assert.ok(zip.length < MAX_BYTES, `${zip.length} bytes`);
    const packagedNames = zipEntries(zip).map((entry) => entry.name).sort();

    const allowed = allowList(work);
    const expected = files(work).filter((file) => allowed.some((pattern) => pattern.test(file)));
    assert.deepEqual(packagedNames, [...VSCE_FILES, ...expected.map((file) => `extension/${VSCE_NAMES[file] ?? file}`)].sort());

    const manifest = JSON.parse(readFileSync(join(work, 'package.json'), 'utf8'));
    const required = [
      'dist/client.js',
      'dist/web-tree-sitter.wasm',
      'dist/tree-sitter-c.wasm',
      'media/traceView.js',
      'media/traceView.css',
      manifest.icon,
      ...manifest.contributes.grammars.map((grammar: { path: string }) => grammar.path.replace(/^\.\//, '')),
      // the server is being written alongside; once it exists, it must ship
      ...(existsSync(join(root, 'server', 'src', 'server.ts')) ? ['dist/server.js'] : []),
    ];
    for (const file of required) assert.ok(packagedNames.includes(`extension/${file}`), file);
    assert.deepEqual(packagedNames.filter((name) => /\.(map|ts)$/.test(name)), []);

    // The client bundle is the production one: minified with names kept, and it loads nothing
    // at run time but vscode and Node's own modules.
    const client = readFileSync(join(work, 'dist', 'client.js'), 'utf8');
    assert.doesNotMatch(client, /sourceMappingURL/);
    assert.ok(client.split('\n').length < 100, 'minified');
    assert.match(client, /"ServerSession"/, 'keepNames');
    const loaded = new Set([...client.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!));
    const unexpected = [...loaded].filter((spec) => spec !== 'vscode' && !builtinModules.includes(spec.replace(/^node:/, '')));
    assert.deepEqual(unexpected, []);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
