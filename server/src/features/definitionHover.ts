// Hover on a helper's definition in a kernel tree's header: what the definition, as the editor
// shows it (unsaved edits included), does to an entry, bit by bit (analysis/definitionMarkdown.ts).

import { fileURLToPath } from 'node:url';
import { MarkupKind, type Hover } from 'vscode-languageserver/node';
import { ProfileError } from '../../../simulator/src';
import { treeHeader } from '../analysis/headerFindings';
import { definitionMarkdown } from '../analysis/definitionMarkdown';
import { TreeModelError, treeModelWithFile } from '../headers/deriveFromTree';
import { treeOnDisk } from '../headers/sourceTree';
import { identifierAt } from '../session/locate';
import type { Position } from '../text/positions';

/** The hover for the identifier at `position` when it names a helper defined there, in a header of a kernel tree. */
export function definitionHover(uri: string, text: string, position: Position, profileName: string): Hover | undefined {
  if (!uri.startsWith('file:') || !/\.h$/.test(uri)) return undefined;
  const word = identifierAt(text, position);
  if (!word) return undefined;
  // only a line that defines the name (`static inline … name(`, `#define name(`, or `name(` at the start
  // of a line after the type) is worth reading the tree for
  const line = text.split('\n')[position.line] ?? '';
  const name = word.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (!new RegExp(`^(\\s*#\\s*define\\s+${name}\\b|.*\\bstatic\\b.*\\b${name}\\s*\\(|${name}\\s*\\()`).test(line)) return undefined;
  try {
    // the profile the diagnostics read this header with
    const header = treeHeader(fileURLToPath(uri), profileName);
    if (!header) return undefined;
    const { tree, file, profile } = header;
    const model = treeModelWithFile(treeOnDisk(tree.root), file, text, profile);
    const definition = model.lookup(word.name);
    if (!definition || definition.at.file !== file || definition.at.line !== position.line + 1) return undefined;
    const value = definitionMarkdown(model, profile, word.name);
    return value ? { contents: { kind: MarkupKind.Markdown, value }, range: word.range } : undefined;
  } catch (error) {
    if (error instanceof TreeModelError || error instanceof ProfileError) return undefined;
    throw error;
  }
}
