// Findings as text (for people), JSON (for scripts) and SARIF 2.1.0 (for code-scanning CI).

import { RULES, summarizeWitness, type Finding } from '../../../simulator/src';
import type { DocumentAnalysis, DocumentFinding } from '../analysis/analyzeDocument';

export interface CheckedFile {
  readonly path: string;
  readonly analysis: DocumentAnalysis;
  /** The findings to report (after --rules and --base filtering). */
  readonly findings: readonly DocumentFinding[];
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', information: 'note' } as const;
const RULE_DOCS = 'https://github.com/mmlens/mmlens/blob/main/docs/rules';


export function formatText(files: readonly CheckedFile[]): string[] {
  const lines: string[] = [];
  for (const file of files) {
    for (const problem of file.analysis.problems.filter((p) => p.severity !== 'info')) {
      lines.push(`${file.path}:${problem.range.start.line + 1}:${problem.range.start.character + 1}: ${problem.severity}: ${problem.message} [input:${problem.code}]`);
    }
    for (const error of file.analysis.annotationErrors) {
      lines.push(`${file.path}:${error.range.start.line + 1}:${error.range.start.character + 1}: error: ${error.message} [annotation]`);
    }
    const notes = new Set<string>();
    for (const fn of file.analysis.functions) {
      for (const note of [...fn.notes, ...fn.boundsHit]) notes.add(`${file.path}:${fn.nameRange.start.line + 1}:${fn.nameRange.start.character + 1}: note: ${fn.name}: ${note}`);
    }
    lines.push(...notes);
    for (const f of file.findings) {
      const change = f.change ? ` (${f.change} by the patch)` : '';
      lines.push(`${file.path}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity}: ${f.message} [${f.rule}]${change}`);
      lines.push(`    in ${f.function}, path: ${f.path.map((d) => (d.taken ? d.text : `!(${d.text})`)).join(' → ') || '(straight line)'}`);
      lines.push(`    when: ${summarizeWitness(f.witness) || '(always)'}`);
    }
  }
  const count = files.reduce((n, f) => n + f.findings.length, 0);
  const functions = files.reduce((n, f) => n + f.analysis.functions.length, 0);
  const paths = files.reduce((n, f) => n + f.analysis.functions.reduce((m, fn) => m + fn.paths.length, 0), 0);
  lines.push(`${count} finding${count === 1 ? '' : 's'} in ${files.length} file${files.length === 1 ? '' : 's'} (${functions} functions, ${paths} paths)`);
  return lines;
}

export function formatJson(files: readonly CheckedFile[], profile: string): string {
  return JSON.stringify(
    {
      tool: 'mmlens',
      profile,
      files: files.map((file) => ({
        path: file.path,
        kind: file.analysis.kind,
        findings: file.findings,
        problems: file.analysis.problems,
        annotationErrors: file.analysis.annotationErrors,
        functions: file.analysis.functions.map((fn) => ({
          name: fn.name,
          side: fn.side,
          profile: fn.profile,
          paths: fn.paths.length,
          notModelled: fn.notModelled,
          boundsHit: fn.boundsHit,
          notes: fn.notes,
        })),
        hunks: file.analysis.hunks,
      })),
    },
    null,
    2,
  );
}

export function formatSarif(files: readonly CheckedFile[]): string {
  const ids = [...new Set(RULES.map((r) => r.id))];
  const rules = ids.map((id) => {
    const rule = RULES.find((r) => r.id === id)!;
    return {
      id,
      shortDescription: { text: rule.message.replace(/\{l\}/g, 'pte') },
      helpUri: `${RULE_DOCS}/${id}.md`,
      defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
      properties: { semantics: rule.semantics },
    };
  });
  const location = (path: string, range: Finding['range']) => ({
    physicalLocation: {
      artifactLocation: { uri: path.split('\\').join('/') },
      region: { startLine: range.start.line + 1, startColumn: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 },
    },
  });
  const results = files.flatMap((file) =>
    file.findings.map((f) => ({
      ruleId: f.rule,
      level: SARIF_LEVEL[f.severity],
      message: { text: f.message },
      locations: [location(file.path, f.range)],
      relatedLocations: f.related.map((r, i) => ({ id: i, ...location(file.path, r.range), message: { text: r.message } })),
      properties: { function: f.function, change: f.change, witness: f.witness, path: f.path.map((d) => ({ condition: d.text, taken: d.taken })) },
    })),
  );
  return JSON.stringify(
    {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [{ tool: { driver: { name: 'mmlens', informationUri: 'https://github.com/mmlens/mmlens', rules } }, results }],
    },
    null,
    2,
  );
}
