/**
 * A per-function time budget for the engine (`AnalysisOptions.startBudget`): each call
 * starts one function's clock and returns its check. The host owns the clock; the
 * simulator never reads one.
 */
export function functionBudget(ms: number): () => () => boolean {
  return () => {
    const end = Date.now() + ms;
    return () => Date.now() > end;
  };
}
