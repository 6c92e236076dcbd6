// The server's resident memory with the largest files of a tree open (each analysed), then
// after many one-character edits spread over them, typed as a person types: a word at one place
// (each character its own didChange), then a pause in which the editor pulls diagnostics, then
// the next word somewhere else, in another file.

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { LspClient } from '../../lsp/lspClient';
import { statementLines, typeSpaceBeforeSemicolon } from './editTargets';
import { procStatusMb } from './procStatus';

export interface ServerMemory {
  readonly files: number;
  readonly lines: number;
  readonly edits: number;
  readonly rssOpenMb: number | undefined;
  readonly rssAfterEditsMb: number | undefined;
  readonly peakMb: number | undefined;
  /** RSS after every tenth of the edits or of the time cap, whichever comes first (the first sample with the files open): flat, or still growing. */
  readonly rssAlong: ReadonlyArray<{ readonly edits: number; readonly rssMb: number | undefined }>;
  /** (after − open) / open */
  readonly growth: number;
  readonly editsMs: number;
  /** Edits not made because the section ran past its time cap. */
  readonly skippedEdits: number;
}

/** Characters typed at one place before the pause. */
const WORD = 10;
/** RSS samples along the edits. */
const SAMPLES = 10;

export async function measureServerMemory(paths: readonly string[], edits: number, capMs: number): Promise<ServerMemory> {
  const client = await LspClient.start();
  try {
    const documents = paths.map((path, i) => {
      const lines = readFileSync(path, 'utf8').split('\n');
      return { uri: `untitled:open${i}.c`, lines, targets: statementLines(lines), resultId: undefined as string | undefined };
    });
    for (const document of documents) {
      client.open(document.uri, document.lines.join('\n'));
      document.resultId = (await client.pullSince(document.uri, undefined)).resultId;
    }
    const pid = client.child.pid;
    const rssOpenMb = procStatusMb(pid, 'VmRSS');
    const rssAlong = [{ edits: 0, rssMb: rssOpenMb }];
    const sampleEvery = Math.max(WORD, Math.ceil(edits / SAMPLES / WORD) * WORD);
    let nextSampleMs = capMs / SAMPLES;
    const started = performance.now();
    let made = 0;
    for (let word = 0; made < edits && performance.now() - started < capMs; word++) {
      const document = documents[word % documents.length]!;
      const line = document.targets[(word * 31) % document.targets.length]!;
      for (let typed = 0; typed < WORD && made < edits; typed++, made++) client.change(document.uri, [typeSpaceBeforeSemicolon(document.lines, line)]);
      const report = await client.pullSince(document.uri, document.resultId);
      if (report.kind === 'full') document.resultId = report.resultId;
      const elapsedMs = performance.now() - started;
      if ((made % sampleEvery === 0 || elapsedMs >= nextSampleMs) && made < edits) {
        rssAlong.push({ edits: made, rssMb: procStatusMb(pid, 'VmRSS') });
        nextSampleMs = elapsedMs + capMs / SAMPLES;
      }
    }
    for (const document of documents) await client.pullSince(document.uri, document.resultId);
    const editsMs = performance.now() - started;
    const rssAfterEditsMb = procStatusMb(pid, 'VmRSS');
    const growth = rssOpenMb && rssAfterEditsMb ? (rssAfterEditsMb - rssOpenMb) / rssOpenMb : NaN;
    return {
      files: documents.length,
      lines: documents.reduce((n, d) => n + d.lines.length, 0),
      edits: made,
      rssOpenMb,
      rssAfterEditsMb,
      peakMb: procStatusMb(pid, 'VmHWM'),
      rssAlong: [...rssAlong, { edits: made, rssMb: rssAfterEditsMb }],
      growth,
      editsMs,
      skippedEdits: edits - made,
    };
  } finally {
    await client.stop();
  }
}
