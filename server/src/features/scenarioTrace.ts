// `mmlens/scenario`: the run of a scenario document for the trace view — its steps with the entry
// after each, or the violating schedule of its CPU sections.

import { ScenarioTraceRequest } from '../protocol';
import { scenarioView } from '../scenario/scenarioView';
import { documentUri } from '../session/requests';
import type { Session } from '../session/session';
import { filePath } from '../session/workspaceFolders';

export function register(session: Session): void {
  session.connection.onRequest(ScenarioTraceRequest, async (params, token) => {
    const uri = documentUri(params);
    // the view's request is the user's: cancelling it stops the run
    const result = await session.scenarios.current(uri, { token, cancelStopsRun: true });
    if (!result) return null;
    return scenarioView(uri, filePath(uri) ?? uri, result.report);
  });
}
