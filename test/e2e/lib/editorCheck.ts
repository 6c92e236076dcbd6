// What the stdio-editor checks (Neovim, Emacs) share: a workspace with the example, a scratch
// home, and the JSON config their script reads (server, file, hover position, result path).

import type { TestContext } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectedFindings, positionOf } from './expectations';
import { examplesDir, serverBundle } from './paths';
import { makeScratch, type Scratch } from './scratch';
import { makeWorkspace, type Workspace } from './workspace';

export const EDITOR_TIMEOUT_MS = 30_000;

export interface EditorCheck {
  readonly workspace: Workspace;
  readonly scratch: Scratch;
  /** The example in the workspace. */
  readonly file: string;
  /** Its `@mm expect` annotations. */
  readonly expected: ReturnType<typeof expectedFindings>;
  readonly configPath: string;
  readonly resultPath: string;
}

/** Sets up restore-uffd-wp.c for an editor script; removed when the test ends. */
export function prepareEditorCheck(t: TestContext, editor: string, extraConfig: Record<string, unknown> = {}): EditorCheck {
  const workspace = makeWorkspace([join(examplesDir, 'restore-uffd-wp.c')]);
  const scratch = makeScratch(editor);
  t.after(() => {
    workspace.remove();
    scratch.remove();
  });
  const file = workspace.file('restore-uffd-wp.c');
  const expected = expectedFindings(file);
  const hoverAt = positionOf(file, 'maybe_mkwrite(pte_mkdirty');
  const resultPath = join(scratch.dir, 'result.json');
  const configPath = join(scratch.dir, 'config.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      server: serverBundle,
      node: process.execPath,
      file,
      result: resultPath,
      timeoutMs: EDITOR_TIMEOUT_MS,
      minDiagnostics: expected.length,
      hover: { line: hoverAt.line - 1, character: hoverAt.column - 1 },
      ...extraConfig,
    }),
  );
  return { workspace, scratch, file, expected, configPath, resultPath };
}
