// Quick fixes for mmlens findings in C sources: the rule's known fix where the code has the
// expected shape (analysis/ruleFixes.ts), and "state this assumption", which inserts the
// `@mm assume` that rules out the finding's witness. Everything comes from the diagnostic's
// data and the document's current text; patches and emails get none (their code is not the
// user's to edit).

import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver/node';
import { assumptionEdit, fixEdits, RULE_ASSUMPTIONS, RULE_FIXES, type TextEdit } from '../analysis/ruleFixes';
import { documentUri, isRecord, throwIfCancelled } from '../session/requests';
import type { Session } from '../session/session';
import { splitLines } from '../text/lines';
import { SOURCE } from './diagnosticSource';
import type { FindingData } from './diagnostics';

export function register(session: Session): void {
  session.connection.onCodeAction((params, token) => {
    const uri = documentUri(params);
    const document = session.documents.get(uri);
    const diagnostics: unknown = isRecord(params.context) ? params.context['diagnostics'] : undefined;
    if (!document || !Array.isArray(diagnostics)) return [];
    const lines = splitLines(document.getText()).map((l) => l.text);
    const actions: CodeAction[] = [];
    for (const diagnostic of diagnostics as Diagnostic[]) {
      throwIfCancelled(token);
      const data = findingData(diagnostic);
      if (!data || data.side !== 'source' || !isRecord(diagnostic.range)) continue;
      const action = (title: string, edits: TextEdit[], preferred: boolean): CodeAction => ({
        title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: preferred,
        edit: { changes: { [uri]: edits } },
      });
      const fix = RULE_FIXES[data.rule];
      const applied = fix && fixEdits(fix, { lines, range: diagnostic.range, profile: data.profile, functionLine: data.functionLine, calls: data.calls });
      if (applied) actions.push(action(applied.title, applied.edits, true));
      for (const assumption of RULE_ASSUMPTIONS[data.rule] ?? []) {
        if (data.facts[assumption.fact] !== assumption.when) continue;
        actions.push(action(`State the assumption: /* @mm assume ${assumption.clause} */`, [assumptionEdit(assumption, data.functionLine)], false));
      }
    }
    return actions;
  });
}

/** The data of an mmlens finding diagnostic, checked (the client sends it back as it got it, or not). */
function findingData(diagnostic: unknown): FindingData | undefined {
  if (!isRecord(diagnostic) || diagnostic['source'] !== SOURCE || !isRecord(diagnostic['data'])) return undefined;
  const data = diagnostic['data'];
  const ok =
    typeof data['rule'] === 'string' &&
    typeof data['function'] === 'string' &&
    typeof data['profile'] === 'string' &&
    ['pre', 'post', 'source'].includes(data['side'] as string) &&
    Number.isSafeInteger(data['functionLine']) &&
    Array.isArray(data['calls']) &&
    isRecord(data['facts']);
  return ok ? (data as unknown as FindingData) : undefined;
}
