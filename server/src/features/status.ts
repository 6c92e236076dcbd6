// After each analysis, `mmlens/analysisStatus` tells the client what was analysed, on which
// profile and why, and how long it took (the status item shows it; tests wait on it).

import { AnalysisStatusNotification, type AnalysisStatusParams } from '../protocol';
import { isReported } from '../session/ruleSeverity';
import type { Session } from '../session/session';

export function register(session: Session): void {
  session.analyses.onDidAnalyse((result) => {
    const { analysis } = result;
    const status: AnalysisStatusParams = {
      uri: result.uri,
      version: result.version,
      profile: result.profile,
      ...(analysis.profile ? { profileSource: analysis.profile.source, profileReason: analysis.profile.reason } : {}),
      ...(analysis.model ? { model: analysis.model.kind, modelReason: analysis.model.reason } : {}),
      functions: analysis.functions.length,
      paths: analysis.functions.reduce((n, fn) => n + fn.paths.length, 0),
      findings: analysis.findings.filter((f) => f.change !== 'fixed' && isReported(f.rule, result.settings)).length,
      truncated: analysis.functions.filter((fn) => fn.boundsHit.length > 0).length,
      durationMs: result.durationMs,
      analysed: result.analysedFunctions,
    };
    void session.connection.sendNotification(AnalysisStatusNotification, status);
  });
}
