// Edit → updated diagnostics through the built language server over stdio, on a generated
// 7,000-line kernel-style file (DESIGN.md, "Performance budgets": ≤ 20 ms median). Each edit
// types one character into a function body; the time runs from sending didChange to the
// answer of the diagnostic pull that follows. Also the first analysis and the server's memory.

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { kernelLikeSource } from '../helpers/kernelLike';
import { LspClient } from '../lsp/lspClient';

export interface EditLatency {
  readonly lines: number;
  readonly functions: number;
  readonly firstAnalysisMs: number;
  readonly editMedianMs: number;
  readonly editP90Ms: number;
  readonly edits: number;
  readonly serverRssMb: number | undefined;
}

const FUNCTIONS = 540;
const EDITS = 40;

export async function measureEditLatency(): Promise<EditLatency> {
  const text = kernelLikeSource(FUNCTIONS, 42);
  const lines = text.split('\n');
  const client = await LspClient.start();
  try {
    const uri = 'untitled:bench.c';
    let start = performance.now();
    client.open(uri, text);
    await client.pull(uri);
    const firstAnalysisMs = performance.now() - start;
    // lines inside function bodies that end a statement: typing there changes one function
    const targets = lines.flatMap((line, index) => (/^\t\w.*;$/.test(line) ? [index] : [])).filter((_, i, all) => i % Math.floor(all.length / EDITS) === 0);
    const times: number[] = [];
    for (const line of targets.slice(0, EDITS)) {
      const character = lines[line]!.length - 1;
      start = performance.now();
      client.change(uri, [{ range: { start: { line, character }, end: { line, character } }, text: ' ' }]);
      await client.pull(uri);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const round = (ms: number) => Math.round(ms * 10) / 10;
    return {
      lines: lines.length,
      functions: FUNCTIONS,
      firstAnalysisMs: round(firstAnalysisMs),
      editMedianMs: round(times[Math.floor(times.length / 2)]!),
      editP90Ms: round(times[Math.floor(times.length * 0.9)]!),
      edits: times.length,
      serverRssMb: rssMb(client.child.pid),
    };
  } finally {
    await client.stop();
  }
}

function rssMb(pid: number | undefined): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

if (require.main === module) {
  measureEditLatency().then((result) => console.log(JSON.stringify(result)));
}
