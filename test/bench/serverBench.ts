// The language server over stdio, as an editor drives it: didOpen → diagnostics (cold, then
// warm: the same text in a second document), one-character edits → diagnostics on a
// 7,000-line generated file (the client sends its last resultId, as VS Code does), hover
// latency; and the server's memory with the 20 largest files of a tree open, before and after
// many edits.

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { LspClient } from '../lsp/lspClient';
import { kernelLikeFile } from './kernelTree';

export interface EditLatency {
  readonly lines: number;
  readonly openColdMs: number;
  readonly openWarmMs: number;
  readonly editMedianMs: number;
  readonly editP95Ms: number;
  readonly edits: number;
  readonly hoverMedianMs: number;
  readonly hoverP95Ms: number;
}

export interface ServerMemory {
  readonly files: number;
  readonly edits: number;
  readonly rssOpenMb: number | undefined;
  readonly rssAfterEditsMb: number | undefined;
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]! * 10) / 10;
};

/** Lines inside function bodies that end a statement: typing there changes one function. */
function editableLines(lines: readonly string[]): number[] {
  return lines.flatMap((line, index) => (/^\t\w.*;$/.test(line) ? [index] : []));
}

export async function measureEditLatency(edits: number): Promise<EditLatency> {
  const text = kernelLikeFile(7000, 42);
  const lines = text.split('\n');
  const client = await LspClient.start();
  try {
    const time = async (run: () => Promise<unknown>) => {
      const start = performance.now();
      await run();
      return performance.now() - start;
    };
    const uri = 'untitled:bench.c';
    let resultId: string | undefined;
    const openColdMs = await time(async () => {
      client.open(uri, text);
      resultId = (await client.pullSince(uri, undefined)).resultId;
    });
    const openWarmMs = await time(async () => {
      client.open('untitled:bench-again.c', text);
      await client.pullSince('untitled:bench-again.c', undefined);
    });
    const targets = editableLines(lines);
    const editTimes: number[] = [];
    for (let i = 0; i < edits; i++) {
      const line = targets[(i * 37) % targets.length]!;
      const character = lines[line]!.length - 1;
      editTimes.push(
        await time(async () => {
          client.change(uri, [{ range: { start: { line, character }, end: { line, character } }, text: ' ' }]);
          const report = await client.pullSince(uri, resultId);
          if (report.kind === 'full') resultId = report.resultId;
        }),
      );
      lines[line] = `${lines[line]!.slice(0, character)} ${lines[line]!.slice(character)}`;
    }
    const calls = lines.flatMap((line, index) => {
      const at = line.indexOf('pte_mk');
      return at >= 0 ? [{ line: index, character: at + 1 }] : [];
    });
    const hoverTimes: number[] = [];
    for (let i = 0; i < Math.min(50, calls.length); i++) {
      const position = calls[(i * 13) % calls.length]!;
      hoverTimes.push(await time(() => client.hover(uri, position.line, position.character)));
    }
    return {
      lines: lines.length,
      openColdMs: Math.round(openColdMs),
      openWarmMs: Math.round(openWarmMs),
      editMedianMs: quantile(editTimes, 0.5),
      editP95Ms: quantile(editTimes, 0.95),
      edits,
      hoverMedianMs: quantile(hoverTimes, 0.5),
      hoverP95Ms: quantile(hoverTimes, 0.95),
    };
  } finally {
    await client.stop();
  }
}

export async function measureServerMemory(files: readonly string[], edits: number): Promise<ServerMemory> {
  const client = await LspClient.start();
  try {
    const documents = files.map((path, i) => ({ uri: `untitled:open${i}.c`, lines: readFileSync(path, 'utf8').split('\n') }));
    for (const document of documents) {
      client.open(document.uri, document.lines.join('\n'));
      await client.pullSince(document.uri, undefined);
    }
    const rssOpenMb = rssMb(client.child.pid);
    const resultIds = new Map<string, string | undefined>();
    for (let i = 0; i < edits; i++) {
      const document = documents[i % documents.length]!;
      const targets = editableLines(document.lines);
      const line = targets[(i * 31) % targets.length]!;
      const character = document.lines[line]!.length - 1;
      client.change(document.uri, [{ range: { start: { line, character }, end: { line, character } }, text: ' ' }]);
      document.lines[line] = `${document.lines[line]!.slice(0, character)} ${document.lines[line]!.slice(character)}`;
      // pull now and then, as an editor does after a pause in typing
      if (i % 10 === 9) {
        const report = await client.pullSince(document.uri, resultIds.get(document.uri));
        if (report.kind === 'full') resultIds.set(document.uri, report.resultId);
      }
    }
    for (const document of documents) await client.pullSince(document.uri, resultIds.get(document.uri));
    return { files: documents.length, edits, rssOpenMb, rssAfterEditsMb: rssMb(client.child.pid) };
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
