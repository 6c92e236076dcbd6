// The three ways input reaches mmlens, each checked for the robustness properties: the analysis
// in-process (most cases), the CLI as a user runs it, and the language server over stdio.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyzeDocument } from '../../server/src/analysis/analyzeDocument';
import { functionBudget } from '../../server/src/analysis/functionBudget';
import type { CParser } from '../../server/src/parsing';
import { LspClient } from '../lsp/lspClient';
import { analysisProblems } from './properties';
import type { Random } from './random';

/** A case passes when this is empty; otherwise it says what went wrong. */
export type Verdict = string[];

const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');

/** In-process: no exception, a well-formed result, within `limitMs`. */
export function analysisCase(parser: CParser, name: string, text: string, limitMs: number): { verdict: Verdict; ms: number } {
  const start = performance.now();
  try {
    const analysis = analyzeDocument(parser, text, { path: name, detail: 'findings', startBudget: functionBudget(2000) });
    const ms = performance.now() - start;
    const verdict = analysisProblems(text, analysis);
    if (ms > limitMs) verdict.push(`took ${Math.round(ms)} ms (limit ${limitMs} ms)`);
    return { verdict, ms };
  } catch (error) {
    return { verdict: [`threw: ${(error as Error)?.stack ?? error}`], ms: performance.now() - start };
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'mmlens-fuzz-'));

/** The CLI: exit 0, 1 or 2; JSON that parses with 0 and 1; one clear message and no stack trace with 2. */
export function cliCase(name: string, text: string, limitMs: number): { verdict: Verdict; ms: number } {
  const file = join(scratch, `case${extname(name) || '.c'}`);
  writeFileSync(file, text);
  const start = performance.now();
  const run = spawnSync(process.execPath, [CLI, 'check', file, '--format', 'json', '--jobs', '1'], { encoding: 'utf8', timeout: limitMs, maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - start;
  const verdict: Verdict = [];
  if (run.error) return { verdict: [`did not finish: ${run.error.message}`], ms };
  if (/^\s+at .+\(.+:\d+:\d+\)$/m.test(run.stderr)) verdict.push(`stack trace on stderr: ${run.stderr.slice(0, 500)}`);
  if (run.status === 0 || run.status === 1) {
    try {
      const report = JSON.parse(run.stdout) as { tool?: string; findings?: unknown[]; summary?: unknown };
      if (report.tool !== 'mmlens' || !Array.isArray(report.findings) || typeof report.summary !== 'object') verdict.push('JSON without tool, findings or summary');
    } catch {
      verdict.push(`stdout is not JSON: ${run.stdout.slice(0, 200)}`);
    }
  } else if (run.status === 2) {
    if (run.stderr.trim() === '') verdict.push('exit 2 with no message');
  } else {
    verdict.push(`exit status ${run.status} (signal ${run.signal})`);
  }
  return { verdict, ms };
}

/**
 * One language-server session driven by `steps` random messages over mutated documents: opens,
 * edits racing analyses, pulls, requests at any position, unknown documents, malformed params,
 * unknown methods. Errors in answers are fine; a dead or silent server is not.
 */
export async function lspSession(random: Random, documents: () => { name: string; text: string }, steps: number, limitMs: number): Promise<{ verdict: Verdict; messages: number }> {
  const client = await LspClient.start();
  const verdict: Verdict = [];
  const uris: string[] = [];
  let messages = 0;
  const position = () => ({ line: random.pick([0, random.below(50), -1, 1e9, 2 ** 31]), character: random.pick([0, random.below(80), -5, 1e9]) });
  const request = async (method: string, params: unknown) => {
    messages++;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), limitMs)));
    try {
      const answer = await Promise.race([client.connection.sendRequest(method, params).catch((error: Error) => (/closed|disposed|ended/i.test(error.message) ? `connection: ${error.message}` : 'error')), timeout]);
      if (answer === 'timeout') verdict.push(`${method} had no answer within ${limitMs} ms`);
      else if (typeof answer === 'string' && answer.startsWith('connection:')) verdict.push(`${method}: ${answer}`);
    } finally {
      clearTimeout(timer);
    }
  };
  try {
    for (let i = 0; i < steps && verdict.length === 0; i++) {
      const uri = uris.length > 0 && random.chance(0.8) ? random.pick(uris) : `untitled:fuzz${i}${random.pick(['.c', '.patch', '.eml', '.txt'])}`;
      const textDocument = { uri: random.chance(0.05) ? 'file:///no/such/file.c' : uri };
      switch (random.below(9)) {
        case 0: {
          const { text } = documents();
          client.open(uri, text, random.pick(['c', 'diff', 'plaintext', 'mbox', 'cpp']));
          uris.push(uri);
          messages++;
          break;
        }
        case 1:
          if (uris.includes(uri)) {
            const change = random.chance(0.3) ? { text: documents().text } : { range: { start: position(), end: position() }, text: random.pick(['', ' ', 'pte_mkwrite(pte, vma);\n', '}', '/*', '\u0000', 'x'.repeat(5000)]) };
            client.change(uri, [change]);
            messages++;
          }
          break;
        case 2:
          await request('textDocument/diagnostic', { textDocument });
          break;
        case 3:
          await request('textDocument/hover', { textDocument, position: position() });
          break;
        case 4:
          await request(random.pick(['textDocument/codeLens', 'textDocument/inlayHint', 'textDocument/codeAction']), { textDocument, range: { start: position(), end: position() }, context: { diagnostics: [] } });
          break;
        case 5:
          await request(random.pick(['textDocument/hover', 'textDocument/diagnostic', 'textDocument/codeLens', 'mmlens/trace', 'textDocument/inlayHint']), random.pick([null, {}, { textDocument: 5 }, { textDocument: { uri: 42 }, position: 'x' }, [1, 2, 3], { position: { line: 'a' } }]));
          break;
        case 6:
          await request(random.pick(['mmlens/unknown', 'textDocument/definition', '$/whatever']), { textDocument });
          break;
        case 7:
          await request('mmlens/trace', { textDocument, position: position(), path: random.pick([0, -1, 1e6, 'x']) });
          break;
        case 8:
          if (uris.includes(uri) && random.chance(0.3)) {
            client.close(uri);
            uris.splice(uris.indexOf(uri), 1);
            messages++;
          }
          break;
      }
    }
    if (verdict.length === 0) await client.assertAlive();
  } catch (error) {
    verdict.push(`session failed: ${(error as Error).message}`);
  } finally {
    await client.stop().catch((error: Error) => verdict.push(`did not stop cleanly: ${error.message}`));
  }
  return { verdict, messages };
}
