// Emacs 28 + eglot 1.9 (Debian's emacs-nox, elpa-eglot) in batch mode as an LSP client of
// `node dist/server.js --stdio`: diagnostics reach Flymake, eglot renders a hover, code
// lenses answer. test/e2e/emacs/check.el does the editor side and writes a JSON result.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { showsTransition } from './lib/bitTable';
import { EDITOR_TIMEOUT_MS, prepareEditorCheck } from './lib/editorCheck';
import { linesContaining } from './lib/expectations';
import { root, serverBundle } from './lib/paths';
import { startOwned } from './lib/processes';
import { requireFile, requireProgram } from './lib/tools';

interface EmacsResult {
  errors: string[];
  connected: boolean;
  diagnostics: { line: number; text: string; type: string; code: string | null }[];
  hover: string | null;
  codeLenses: { line: number; title: string | null }[];
  shutDown: boolean;
}

test('Emacs + eglot: diagnostics in Flymake, a hover and code lenses from the server over stdio', { timeout: 120_000 }, async (t) => {
  const emacs = requireProgram('emacs', 'emacs-nox elpa-eglot');
  requireFile('/usr/share/emacs/site-lisp/elpa/eglot-1.9', 'apt-get install -y elpa-eglot');
  requireFile(serverBundle, 'run `npm run build` (npm run test:e2e does)');
  const { workspace, scratch, file, expected, configPath, resultPath } = prepareEditorCheck(t, 'emacs');

  const script = join(root, 'test', 'e2e', 'emacs', 'check.el');
  const proc = startOwned(emacs, ['-Q', '--batch', '-l', script], { env: { ...scratch.env, MMLENS_EMACS_CONFIG: configPath }, cwd: workspace.dir });
  t.after(() => proc.stop());
  const code = await proc.waitForExit(4 * EDITOR_TIMEOUT_MS);
  assert.equal(code, 0, `emacs exited with ${code}:\n${proc.output()}`);
  assert.ok(existsSync(resultPath), `check.el wrote no result; emacs said:\n${proc.output()}`);
  const result = JSON.parse(readFileSync(resultPath, 'utf8')) as EmacsResult;
  const context = `\nresult: ${JSON.stringify(result, null, 1).slice(0, 3000)}\nemacs said:\n${proc.output().slice(-2000)}`;

  assert.deepEqual(result.errors, [], `errors in the Emacs session${context}`);
  assert.ok(result.connected, `eglot connected${context}`);
  const found = result.diagnostics.map((d) => `${d.line + 1}: ${String(d.code)}`).sort();
  assert.deepEqual(found, expected.map((e) => `${e.line}: ${e.rule}`).sort(), `Flymake diagnostics${context}`);
  assert.ok(result.diagnostics.every((d) => d.text.startsWith(`mmlens [${String(d.code)}]`)), `eglot labels them mmlens [rule]${context}`);

  assert.match(result.hover ?? '', /maybe_mkwrite/, `the hover names the helper${context}`);
  assert.ok(showsTransition(result.hover ?? '', 'W', '0', '1'), `the hover shows W 0 → 1${context}`);

  const functionLine = linesContaining(file, 'restore_one(')[0]! - 1;
  assert.ok(
    result.codeLenses.some((lens) => lens.line === functionLine && /Simulate \d+ paths?/.test(lens.title ?? '')),
    `a "Simulate N paths" code lens on line ${functionLine + 1}${context}`,
  );
  assert.ok(result.shutDown, `eglot shut the server down${context}`);
});
