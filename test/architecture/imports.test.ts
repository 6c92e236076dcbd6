// The layering rules of DESIGN.md: the simulator imports nothing outside
// itself (no Node modules, no vscode, no tree-sitter); the server never
// imports vscode; the client imports vscode, the language client, Node's own
// modules, its own files and server/src/protocol.ts, nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]!);
}

test('the simulator imports only its own files', () => {
  const simulator = join(root, 'simulator', 'src');
  const offenders: string[] = [];
  for (const file of sources(simulator)) {
    for (const spec of imports(file)) {
      const inside = spec.startsWith('.') && !relative(simulator, resolve(dirname(file), spec)).startsWith('..');
      if (!inside) offenders.push(`${relative(root, file)} imports ${spec}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('the server never imports vscode', () => {
  const offenders = sources(join(root, 'server', 'src')).filter((file) => imports(file).some((spec) => spec === 'vscode'));
  assert.deepEqual(offenders, []);
});

test('the client imports only vscode, the language client, Node modules, its own files and protocol.ts', () => {
  const client = join(root, 'client', 'src');
  const protocol = join(root, 'server', 'src', 'protocol');
  const allowed = (file: string, spec: string): boolean => {
    if (spec === 'vscode' || spec === 'vscode-languageclient/node') return true;
    if (spec.startsWith('node:') || builtinModules.includes(spec)) return true;
    if (!spec.startsWith('.')) return false;
    const target = resolve(dirname(file), spec);
    return target === protocol || !relative(client, target).startsWith('..');
  };
  const offenders: string[] = [];
  const files = sources(client);
  assert.ok(files.length > 0, 'no client sources found');
  for (const file of files) {
    for (const spec of imports(file)) if (!allowed(file, spec)) offenders.push(`${relative(root, file)} imports ${spec}`);
  }
  assert.deepEqual(offenders, []);
});
