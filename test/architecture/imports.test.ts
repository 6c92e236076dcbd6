// The layering rules of DESIGN.md: the simulator imports nothing outside
// itself (no Node modules, no vscode, no tree-sitter); the server never
// imports vscode; the client imports vscode, the language client, Node's own
// modules, its own files and server/src/protocol.ts, nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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

/** Relative imports that load a module at run time: `import type` and all-`type` name lists load nothing. */
function valueImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?([^'";]*?)\s*from\s+['"](\.[^'"]+)['"]/gm)) {
    const names = /^\{([^}]*)\}$/.exec(m[2]!.trim())?.[1]?.split(',').map((n) => n.trim()).filter((n) => n !== '');
    const typeOnly = m[1] !== undefined || (names !== undefined && names.every((n) => n.startsWith('type ')));
    if (!typeOnly) specs.push(m[3]!);
  }
  return specs;
}

/** Each strongly connected group of more than one file, as the files' paths. */
function importCycles(files: readonly string[]): string[][] {
  const resolveSpec = (from: string, spec: string) => {
    const base = resolve(dirname(from), spec);
    return [`${base}.ts`, join(base, 'index.ts')].find((candidate) => files.includes(candidate));
  };
  const edges = new Map(files.map((file) => [file, valueImports(file).map((spec) => resolveSpec(file, spec)).filter((t): t is string => t !== undefined)]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string) => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    for (const next of edges.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (stack.includes(next)) {
        low.set(file, Math.min(low.get(file)!, index.get(next)!));
      }
    }
    if (low.get(file) === index.get(file)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        group.push(relative(root, member));
      } while (member !== file);
      if (group.length > 1) cycles.push(group.sort());
    }
  };
  for (const file of files) if (!index.has(file)) visit(file);
  return cycles;
}

test('no module of the simulator, server or client loads itself through its imports (type-only imports aside)', () => {
  const files = ['simulator', 'server', 'client'].flatMap((part) => sources(join(root, part, 'src')));
  assert.ok(files.length > 100, 'sources not found');
  assert.deepEqual(importCycles(files), []);
});

test('the cycle check finds a cycle when there is one', () => {
  const dir = join(root, 'test-output', 'import-cycle');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'a.ts'), "import { b } from './b';\nexport const a = b;\n");
  writeFileSync(join(dir, 'b.ts'), "import type { c } from './c';\nimport { a } from './a';\nexport const b = a;\n");
  writeFileSync(join(dir, 'c.ts'), "import { b } from './b';\nexport type c = typeof b;\n");
  assert.deepEqual(importCycles(['a', 'b', 'c'].map((n) => join(dir, `${n}.ts`))), [['test-output/import-cycle/a.ts', 'test-output/import-cycle/b.ts']]);
});
