// `mmlens check --jobs N`: documents analysed by N worker threads. Each worker loads its
// own parser and takes the next document when it finishes one, the costliest first (as the
// last run measured them, documentCosts.ts), so a few large files do not leave the other
// workers idle. The worker is this same script started again
// (bundle or tsc output alike); `isCheckWorker()` tells main.ts which role it has.

import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { DocumentAnalysis } from '../analysis/analyzeDocument';
import { CParser, defaultWasmPaths } from '../parsing';
import { analyzeForCheck, type CheckSettings } from './checkDocument';
import { documentCosts, type DocumentCosts } from './documentCosts';
import { AnalysisElsewhere } from '../analysis/treeSummaries';

export interface CheckDocument {
  readonly path: string;
  readonly text: string;
}

interface WorkerConfig {
  readonly role: 'mmlens-check-worker';
  readonly settings: CheckSettings;
}

/** A job: the document, and whether the worker may put it off (other documents are waiting). */
interface WorkerJob {
  readonly index: number;
  readonly document: CheckDocument;
  readonly mayDefer: boolean;
}

type WorkerReply =
  | { readonly index: number; readonly analysis: DocumentAnalysis }
  | { readonly index: number; readonly error: string }
  /** It needs an analysis another worker is running: asked again after the other documents. */
  | { readonly index: number; readonly deferred: true };

export function isCheckWorker(): boolean {
  return !isMainThread && (workerData as WorkerConfig | undefined)?.role === 'mmlens-check-worker';
}

/** The worker's loop: one document in, its analysis out, until the port closes. */
export async function serveCheckWorker(): Promise<void> {
  const { settings } = workerData as WorkerConfig;
  const parser = await CParser.load(defaultWasmPaths());
  parentPort!.on('message', (job: WorkerJob) => {
    let reply: WorkerReply;
    try {
      reply = { index: job.index, analysis: analyzeForCheck(parser, job.document, settings, job.mayDefer) };
    } catch (error) {
      reply = error instanceof AnalysisElsewhere ? { index: job.index, deferred: true } : { index: job.index, error: (error as Error).message };
    }
    parentPort!.postMessage(reply);
  });
}

/**
 * Analyses the documents on `jobs` workers; results come back in the documents' order.
 * `onProgress` is told after each document.
 */
export function analyzeInWorkers(
  documents: readonly CheckDocument[],
  settings: CheckSettings,
  jobs: number,
  onProgress: (done: number) => void = () => {},
  costs: DocumentCosts = documentCosts(undefined),
): Promise<DocumentAnalysis[]> {
  const results: DocumentAnalysis[] = new Array(documents.length);
  // Costliest first: the long tail is then made of cheap files.
  const estimates = documents.map((document) => costs.estimate(document));
  const queue = documents.map((_, index) => index).sort((a, b) => estimates[b]! - estimates[a]!);
  const started = new Map<Worker, number>();
  // a document is put off once at most: the second time, its worker waits for what it needs
  const deferred = new Set<number>();
  let done = 0;
  return new Promise((resolve, reject) => {
    const workers: Worker[] = [];
    const stopAll = () => workers.forEach((w) => void w.terminate());
    const feed = (worker: Worker) => {
      const index = queue.shift();
      if (index === undefined) {
        void worker.terminate();
        return;
      }
      started.set(worker, performance.now());
      worker.postMessage({ index, document: documents[index]!, mayDefer: queue.length > 0 && !deferred.has(index) } satisfies WorkerJob);
    };
    for (let i = 0; i < Math.min(jobs, documents.length); i++) {
      const worker = new Worker(require.main?.filename ?? process.argv[1]!, { workerData: { role: 'mmlens-check-worker', settings } satisfies WorkerConfig });
      workers.push(worker);
      worker.on('message', (reply: WorkerReply) => {
        if ('error' in reply) {
          stopAll();
          reject(new Error(`${documents[reply.index]!.path}: ${reply.error}`));
          return;
        }
        if ('deferred' in reply) {
          deferred.add(reply.index);
          queue.push(reply.index);
          feed(worker);
          return;
        }
        results[reply.index] = reply.analysis;
        costs.record(documents[reply.index]!, performance.now() - started.get(worker)!);
        onProgress(++done);
        if (done === documents.length) {
          stopAll();
          costs.save();
          resolve(results);
        } else feed(worker);
      });
      worker.on('error', (error) => {
        stopAll();
        reject(error);
      });
      feed(worker);
    }
  });
}
