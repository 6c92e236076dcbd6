// The language server over stdio as an editor drives it, on one file (a generated 7,000-line
// one, and a kernel tree's mm/memory.c when the bench has a tree):
// didOpen → diagnostics cold (a fresh server) and warm (the same text opened again under
// another name), one-character didChange → diagnostics (the pull carries the last resultId, as
// VS Code sends it), and hover on helper calls.

import { performance } from 'node:perf_hooks';
import { LspClient } from '../../lsp/lspClient';
import { kernelLikeFile } from '../generator/kernelFile';
import { distribution, type Distribution } from '../report/stats';
import { helperCallPositions, statementLines, typeSpaceBeforeSemicolon } from './editTargets';

/** The file the latency is measured on: what the report calls it, and its text. */
export interface LatencyFile {
  readonly label: string;
  readonly text: string;
}

export interface ServerLatency {
  readonly label: string;
  readonly lines: number;
  readonly openColdMs: number;
  readonly openWarmMs: number;
  readonly editMs: Distribution;
  readonly hoverMs: Distribution;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

/** The bench's generated file of `lines` lines (the heavy file of the edit budget). */
export function generatedLatencyFile(lines: number): LatencyFile {
  return { label: `${lines}-line generated file`, text: kernelLikeFile({ lines, seed: 7000, prefix: 'lat' }) };
}

/** Edits stop at `capMs` (a kernel file's functions can take seconds each); the distribution counts those made. */
export async function measureServerLatency({ label, text }: LatencyFile, edits: number, hovers: number, capMs: number): Promise<ServerLatency> {
  const lines = text.split('\n');
  const client = await LspClient.start();
  try {
    const uri = 'untitled:bench.c';
    let resultId: string | undefined;
    const openColdMs = await timed(async () => {
      client.open(uri, text);
      resultId = (await client.pullSince(uri, undefined)).resultId;
    });
    const openWarmMs = await timed(async () => {
      client.open('untitled:bench-again.c', text);
      await client.pullSince('untitled:bench-again.c', undefined);
    });
    const targets = statementLines(lines);
    const editTimes: number[] = [];
    const started = performance.now();
    for (let i = 0; i < edits && performance.now() - started < capMs; i++) {
      const change = typeSpaceBeforeSemicolon(lines, targets[(i * 37) % targets.length]!);
      editTimes.push(
        await timed(async () => {
          client.change(uri, [change]);
          const report = await client.pullSince(uri, resultId);
          if (report.kind === 'full') resultId = report.resultId;
        }),
      );
    }
    const calls = helperCallPositions(lines);
    const hoverTimes: number[] = [];
    for (let i = 0; i < Math.min(hovers, calls.length); i++) {
      const { line, character } = calls[(i * 13) % calls.length]!;
      hoverTimes.push(await timed(() => client.hover(uri, line, character)));
    }
    return { label, lines: lines.length, openColdMs, openWarmMs, editMs: distribution(editTimes), hoverMs: distribution(hoverTimes) };
  } finally {
    await client.stop();
  }
}
