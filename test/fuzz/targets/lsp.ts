// The language server over stdio, driven by a script of random messages over mutated
// documents: opens, bursts of edits racing the analyses, pulls, feature requests at any
// position, unknown documents, malformed params and notifications, unknown methods, odd
// settings. Error answers are fine when they are the protocol's (invalid params, method not
// found, content modified); an internal error, a stack trace, a silent or dead server is not.
// The script is plain JSON so a failing session can be written out and replayed.

import { ErrorCodes } from 'vscode-languageserver-protocol/node';
import { performance } from 'node:perf_hooks';
import { fixture, LspClient } from '../../lsp/lspClient';
import type { Random } from '../random';

export type LspStep =
  | { readonly kind: 'open'; readonly uri: string; readonly languageId: string; readonly text: string }
  | { readonly kind: 'change'; readonly uri: string; readonly changes: readonly unknown[] }
  | { readonly kind: 'close'; readonly uri: string }
  | { readonly kind: 'settings'; readonly settings: Record<string, unknown> }
  | { readonly kind: 'notify'; readonly method: string; readonly params: unknown }
  /** `wait: false` leaves the answer outstanding while the next steps go out (awaited at the end). */
  | { readonly kind: 'request'; readonly method: string; readonly params: unknown; readonly wait: boolean };

export interface LspSessionResult {
  readonly verdict: string[];
  readonly messages: number;
  readonly ms: number;
}

const FEATURES = ['textDocument/hover', 'textDocument/codeLens', 'textDocument/inlayHint', 'textDocument/codeAction', 'textDocument/diagnostic', 'mmlens/trace'];
const MALFORMED_PARAMS: readonly unknown[] = [
  null, {}, [1, 2, 3], 'text', 42, { textDocument: 5 }, { textDocument: { uri: 42 }, position: 'x' }, { textDocument: { uri: '' } },
  { position: { line: 'a' } }, { textDocument: { uri: 'untitled:x.c' }, range: { start: null, end: 3 } }, { textDocument: { uri: 'untitled:x.c' }, position: { line: 1.5, character: NaN } },
  { textDocument: { uri: 'untitled:x.c' }, range: { start: { line: 5, character: 0 }, end: { line: 1, character: 0 } }, context: { diagnostics: [{ range: 7, message: null }] } },
];
const SETTINGS: readonly Record<string, unknown>[] = [
  {}, { profile: 'arm64@6.10' }, { profile: 'sparc@1.0 +WHAT' }, { profile: 42 }, { rules: { 'stale-tlb': 'off', 'no-such-rule': 'error' } }, { rules: 'everything' },
  { bounds: { maxPaths: -1, loopUnroll: 1e9, inlineDepth: 'deep', functionBudgetMs: 0 } }, { bounds: { maxPaths: 1, functionBudgetMs: 10 } },
  { codeLens: { enable: 'yes' }, inlayHints: { enable: true } }, { analyze: { c: false, patches: false, email: false } }, { analyze: null },
];

/** A script of `steps` messages; `document()` gives the next mutated document text. */
export function lspScript(random: Random, document: () => string, steps: number): LspStep[] {
  const script: LspStep[] = [];
  const open: string[] = [];
  const position = () => ({ line: random.pick([0, random.below(50), random.below(5000), -1, 1e9, 2 ** 31]), character: random.pick([0, random.below(80), -5, 1e9]) });
  const range = () => ({ start: position(), end: position() });
  let fresh = 0;
  while (script.length < steps) {
    const known = open.length > 0 && random.chance(0.85) ? random.pick(open) : undefined;
    const uri = known ?? `untitled:fuzz${fresh++}${random.pick(['.c', '.h', '.patch', '.eml', '.mbox', '.txt'])}`;
    const target = random.chance(0.05) ? random.pick(['file:///no/such/file.c', 'untitled:never-opened.c', 'not a uri', '']) : uri;
    switch (random.below(10)) {
      case 0:
        if (known) break;
        script.push({ kind: 'open', uri, languageId: random.pick(['c', 'cpp', 'diff', 'plaintext', 'mbox', 'rust']), text: document() });
        open.push(uri);
        break;
      case 1:
      case 2: {
        if (!known) break;
        // A burst of edits with no pause, as a fast typist or a paste makes them.
        for (let i = 0, n = 1 + random.below(8); i < n; i++) {
          const change = random.chance(0.2)
            ? { text: document() }
            : { range: range(), text: random.pick(['', ' ', 'pte_mkwrite(pte, vma);\n', '}', '{', '/*', '@@ -1 +1 @@\n', '\0', '\ud800', '\r\n', 'x'.repeat(5000)]) };
          script.push({ kind: 'change', uri, changes: random.chance(0.1) ? [change, change, { range: range(), text: '' }] : [change] });
        }
        break;
      }
      case 3:
        script.push({ kind: 'request', method: 'textDocument/diagnostic', params: { textDocument: { uri: target }, ...(random.chance(0.3) ? { previousResultId: random.pick(['1', 'garbage', '']) } : {}) }, wait: random.chance(0.5) });
        break;
      case 4:
        script.push({ kind: 'request', method: random.pick(FEATURES), params: { textDocument: { uri: target }, position: position(), range: range(), context: { diagnostics: [] } }, wait: random.chance(0.6) });
        break;
      case 5:
        script.push({ kind: 'request', method: random.pick(FEATURES), params: random.pick(MALFORMED_PARAMS), wait: true });
        break;
      case 6:
        script.push({ kind: 'request', method: random.pick(['mmlens/unknown', 'textDocument/definition', 'textDocument/completion', 'workspace/symbol']), params: { textDocument: { uri: target } }, wait: true });
        break;
      case 7:
        script.push({ kind: 'request', method: 'mmlens/trace', params: { textDocument: { uri: target }, position: position(), path: random.pick([0, -1, 1e6, 'x', null]), function: random.pick([undefined, 'f', 42]) }, wait: random.chance(0.5) });
        break;
      case 8:
        if (known && random.chance(0.5)) {
          script.push({ kind: 'close', uri });
          open.splice(open.indexOf(uri), 1);
        } else {
          script.push({ kind: 'notify', method: random.pick(['textDocument/didChange', 'textDocument/didOpen', 'textDocument/didClose', '$/cancelRequest', 'mmlens/unknownNotification']), params: random.pick(MALFORMED_PARAMS) });
        }
        break;
      case 9:
        script.push(random.chance(0.3) ? { kind: 'settings', settings: random.pick(SETTINGS) } : { kind: 'notify', method: 'textDocument/didChange', params: { textDocument: { uri: target, version: random.pick([0, -1, 1e9]) }, contentChanges: [{ range: range(), text: 'x' }] } });
        break;
    }
  }
  return script;
}

/** Answers that say the server failed rather than the request was wrong. */
function isInternalError(error: unknown): boolean {
  const code = (error as { code?: number }).code;
  return code === ErrorCodes.InternalError || code === ErrorCodes.UnknownErrorCode || /closed|disposed|ended/i.test((error as Error).message ?? '');
}

export async function runLspScript(script: readonly LspStep[], limitMs: number): Promise<LspSessionResult> {
  const started = performance.now();
  const client = await LspClient.start();
  const verdict: string[] = [];
  let stderr = '';
  client.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const outstanding: Promise<void>[] = [];
  let messages = 0;
  const request = (step: Extract<LspStep, { kind: 'request' }>, index: number): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        verdict.push(`step ${index} ${step.method}: no answer within ${limitMs} ms`);
        resolve();
      }, limitMs);
    });
    const answer = client.connection.sendRequest(step.method, step.params).then(
      () => undefined,
      (error: unknown) => {
        if (isInternalError(error)) verdict.push(`step ${index} ${step.method} ${JSON.stringify(step.params)?.slice(0, 200)}: ${(error as Error).message}`);
      },
    );
    return Promise.race([answer, timeout]).finally(() => clearTimeout(timer));
  };
  try {
    for (const [index, step] of script.entries()) {
      if (verdict.length > 0 || client.child.exitCode !== null) break;
      messages++;
      switch (step.kind) {
        case 'open':
          client.open(step.uri, step.text, step.languageId);
          break;
        case 'change':
          client.change(step.uri, step.changes as never);
          break;
        case 'close':
          client.close(step.uri);
          break;
        case 'settings':
          client.changeSettings(step.settings);
          break;
        case 'notify':
          void client.connection.sendNotification(step.method, step.params);
          break;
        case 'request':
          if (step.wait) await request(step, index);
          else outstanding.push(request(step, index));
          break;
      }
    }
    await Promise.all(outstanding);
    if (client.child.exitCode !== null) verdict.push(`the server exited with ${client.child.exitCode}`);
    else {
      // Still useful after all that: it answers a plain request about a known document.
      client.changeSettings({});
      const tour = fixture('examples', 'wp-late-flush.c');
      client.open(tour.uri, tour.text, 'c');
      const diagnostics = await client.pull(tour.uri);
      if (!diagnostics.some((d) => d.code === 'stale-tlb')) verdict.push(`afterwards, ${tour.path} has no stale-tlb diagnostic (got ${diagnostics.map((d) => d.code).join(', ') || 'none'})`);
      await client.assertAlive();
    }
  } catch (error) {
    verdict.push(`session failed: ${(error as Error).message}`);
  } finally {
    await client.stop().catch((error: Error) => verdict.push(`did not stop cleanly: ${error.message}`));
  }
  if (/^\s+at .+:\d+:\d+\)?$/m.test(stderr)) verdict.push(`stack trace on the server's stderr: ${stderr.slice(0, 800)}`);
  for (const event of client.events) {
    if (event.kind === 'log' && event.type === 1 && /\n\s+at /.test(event.message)) verdict.push(`the server logged an internal error: ${event.message.slice(0, 800)}`);
  }
  return { verdict, messages, ms: performance.now() - started };
}
