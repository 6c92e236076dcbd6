// Diagnostics on a helper's definition in a kernel tree's header: each law the definition — as
// the editor holds it, unsaved edits included — breaks, on the definition of the helper the law
// is about, with the other definitions it reads as related locations (headers/headerLaws.ts).
// diagnostics.ts adds them to a document's report, as hover.ts adds definitionHover.

import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver/node';
import { ProfileError, type Severity } from '../../../simulator/src';
import { treeHeader } from '../analysis/headerFindings';
import { TreeModelError, treeModelWithFile } from '../headers/deriveFromTree';
import { fileLawFindings, type DefinitionRef, type HeaderLawFinding } from '../headers/headerLaws';
import { treeOnDisk } from '../headers/sourceTree';
import { ruleDocUrl } from '../protocol';
import type { ClientSupport } from '../session/clientSupport';
import type { DocumentResult } from '../session/documentAnalyses';
import { reportedSeverity } from '../session/ruleSeverity';
import { SOURCE } from './diagnosticSource';

const SEVERITY: Record<Severity, DiagnosticSeverity> = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, information: DiagnosticSeverity.Information };

/** `Diagnostic.data` of a law's diagnostic. */
export interface LawDiagnosticData {
  readonly rule: string;
  readonly law: string;
  readonly levels: readonly string[];
}

/** The laws broken by the definitions in `result`'s document, when it is a header a kernel tree's model reads. */
function lawsOf(result: DocumentResult): { findings: readonly HeaderLawFinding[]; root: string } | undefined {
  if (!result.uri.startsWith('file:') || !result.uri.endsWith('.h')) return undefined;
  const header = treeHeader(fileURLToPath(result.uri), result.profile);
  if (!header) return undefined;
  const { tree, file, profile } = header;
  // the model is kept per header text (deriveFromTree.ts) and its laws proved once (patchLaws.ts provedOn)
  const model = treeModelWithFile(treeOnDisk(tree.root), file, result.text, profile);
  return { findings: fileLawFindings(model, file), root: tree.root };
}

function nameRange(text: string | undefined, definition: DefinitionRef): Range {
  const line = definition.line - 1;
  const column = Math.max(0, (text?.split('\n')[line] ?? '').indexOf(definition.name));
  return { start: { line, character: column }, end: { line, character: column + definition.name.length } };
}

export function definitionDiagnostics(result: DocumentResult, support: ClientSupport): Diagnostic[] {
  let laws;
  try {
    laws = lawsOf(result);
  } catch (error) {
    if (error instanceof TreeModelError || error instanceof ProfileError) return [];
    throw error;
  }
  if (!laws) return [];
  const { findings, root } = laws;
  const files = treeOnDisk(root);
  const diagnostics: Diagnostic[] = [];
  for (const f of findings) {
    const severity = reportedSeverity(f.rule, f.severity, result.settings);
    if (!severity) continue;
    const others = f.definitions.filter((d) => d.name !== f.subject.name);
    const data: LawDiagnosticData = { rule: f.rule, law: f.lawId, levels: f.levels };
    diagnostics.push({
      range: nameRange(result.text, f.subject),
      severity: SEVERITY[severity],
      code: f.rule,
      codeDescription: { href: ruleDocUrl(f.rule) },
      source: SOURCE,
      message: f.message,
      ...(support.relatedInformation && others.length > 0
        ? {
            relatedInformation: others.map((d) => {
              const sameFile = d.file === f.subject.file;
              return {
                location: { uri: sameFile ? result.uri : pathToFileURL(join(root, d.file)).href, range: nameRange(sameFile ? result.text : files.read(d.file), d) },
                message: `${d.name}: read by the law ${f.lawId}`,
              };
            }),
          }
        : {}),
      data,
    });
  }
  return diagnostics;
}
