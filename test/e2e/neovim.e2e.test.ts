// Neovim 0.7 (Debian's) as an LSP client of `node dist/server.js --stdio`: diagnostics,
// a hover, code lenses and the trace request arrive through Neovim's own LSP API.
// test/e2e/neovim/check.lua does the editor side and writes a JSON result.

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

interface NvimDiagnostic {
  line: number;
  col: number;
  code: string | number | null;
  message: string;
  source: string | null;
  href: string | null;
}

interface NvimResult {
  nvim: string;
  errors: string[];
  initialized: boolean;
  diagnostics: NvimDiagnostic[];
  published: number;
  hover: unknown;
  hoverLines: string[];
  codeLenses: { line: number; title: string | null; command: string | null }[];
  codeLensText: { line: number; text: string }[];
  trace: { function: string; text: string; steps: unknown[] } | null;
  serverExit: { code: number; signal: number } | null;
}

test('Neovim: diagnostics, hover, code lenses and a trace from the server over stdio', { timeout: 120_000 }, async (t) => {
  const nvim = requireProgram('nvim', 'neovim');
  requireFile(serverBundle, 'run `npm run build` (npm run test:e2e does)');
  const { workspace, scratch, file, expected, configPath, resultPath } = prepareEditorCheck(t, 'nvim', { traceFunction: 'restore_one' });
  assert.ok(expected.length > 0, 'the example states its findings with @mm expect');

  const script = join(root, 'test', 'e2e', 'neovim', 'check.lua');
  const proc = startOwned(nvim, ['--headless', '--clean', '-u', script], { env: { ...scratch.env, MMLENS_NVIM_CONFIG: configPath }, cwd: workspace.dir });
  t.after(() => proc.stop());
  const code = await proc.waitForExit(4 * EDITOR_TIMEOUT_MS);
  const lspLog = (): string => {
    const log = join(scratch.env['XDG_CACHE_HOME']!, 'nvim', 'lsp.log');
    return existsSync(log) ? readFileSync(log, 'utf8').slice(-3000) : '(no lsp.log)';
  };
  assert.equal(code, 0, `nvim exited with ${code}:\n${proc.output()}`);
  assert.ok(existsSync(resultPath), `check.lua wrote no result; nvim said:\n${proc.output()}\nlsp.log:\n${lspLog()}`);
  const result = JSON.parse(readFileSync(resultPath, 'utf8')) as NvimResult;
  const context = `\nresult: ${JSON.stringify(result, null, 1).slice(0, 3000)}\nlsp.log:\n${lspLog()}`;

  assert.deepEqual(result.errors, [], `errors in the Neovim session${context}`);
  assert.ok(result.initialized, `the server answered initialize${context}`);

  // Diagnostics: exactly the @mm expect'ed rule ids, on their lines, linking to the rule page.
  const found = result.diagnostics.map((d) => `${d.line + 1}: ${String(d.code)}`).sort();
  assert.deepEqual(found, expected.map((e) => `${e.line}: ${e.rule}`).sort(), `diagnostics${context}`);
  for (const d of result.diagnostics) {
    assert.equal(d.source, 'mmlens', `diagnostic source${context}`);
    assert.match(d.href ?? '', new RegExp(`rules/${String(d.code)}\\.md$`), `codeDescription.href names the rule page${context}`);
  }

  // Hover on maybe_mkwrite: the helper with its bit table, W going from 0 to 1.
  const hover = result.hoverLines.join('\n');
  assert.match(hover, /maybe_mkwrite/, `the hover names the helper${context}`);
  assert.ok(showsTransition(hover, 'W', '0', '1'), `the hover shows W 0 → 1${context}`);

  // Code lens above the function, resolved and drawn as virtual text by Neovim.
  const functionLine = linesContaining(file, 'restore_one(')[0]! - 1;
  const lens = result.codeLenses.find((l) => l.line === functionLine);
  assert.ok(lens, `a code lens on line ${functionLine + 1}${context}`);
  assert.match(lens.title ?? '', /Simulate \d+ paths?/, `code lens title${context}`);
  assert.match(lens.title ?? '', /1 hazard/, `code lens counts the hazard${context}`);
  assert.ok(result.codeLensText.some((v) => v.line === functionLine && v.text === lens.title), `Neovim draws the lens${context}`);

  // The custom trace request: the hazardous path, as the text a reviewer pastes into a reply.
  assert.ok(result.trace, `mmlens/trace answered${context}`);
  assert.equal(result.trace.function, 'restore_one');
  assert.match(result.trace.text, /uffd-wp-writable/, `the trace text names the hazard${context}`);

  assert.deepEqual(result.serverExit, { code: 0, signal: 0 }, `the server exits cleanly on shutdown${context}`);
});
