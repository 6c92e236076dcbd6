// Reading the header of one file's section of a patch: `diff --git a/x b/y`, git's extended
// header lines (new/deleted file, rename, copy, binary), and `--- x` / `+++ y`.

import type { FileChange } from './types';

/** What a file header says, as written (paths still carry their `a/` / `b/` prefixes where git wrote them). */
export interface FileHeaderFields {
  /** From `diff --git a/x b/y`. */
  gitOld: string | undefined;
  gitNew: string | undefined;
  /** From `--- x` / `+++ y`; null for /dev/null. */
  markerOld: string | null | undefined;
  markerNew: string | null | undefined;
  /** From `rename from` / `copy from` (never prefixed). */
  explicitOld: string | undefined;
  explicitNew: string | undefined;
  change: FileChange | undefined;
  binary: boolean;
}

export function emptyHeaderFields(): FileHeaderFields {
  return { gitOld: undefined, gitNew: undefined, markerOld: undefined, markerNew: undefined, explicitOld: undefined, explicitNew: undefined, change: undefined, binary: false };
}

export type HeaderLineEffect = 'header' | 'binary-data' | 'end';

/** The two paths of `diff --git a/x b/y` (quoted names and names with spaces handled). */
export function parseGitDiffLine(content: string): { oldPath: string; newPath: string } | undefined {
  const rest = content.slice('diff --git '.length).trim();
  if (rest.startsWith('"')) {
    const first = readQuoted(rest, 0);
    if (!first) return undefined;
    const tail = rest.slice(first.end).trim();
    const second = tail.startsWith('"') ? readQuoted(tail, 0)?.value : tail;
    return second === undefined ? undefined : { oldPath: first.value, newPath: second };
  }
  // `a/p b/p`: prefer the split where both halves name the same path
  let fallback: { oldPath: string; newPath: string } | undefined;
  for (let at = rest.indexOf(' b/'); at >= 0; at = rest.indexOf(' b/', at + 1)) {
    const oldPath = rest.slice(0, at);
    const newPath = rest.slice(at + 1);
    if (oldPath.slice(2) === newPath.slice(2)) return { oldPath, newPath };
    fallback ??= { oldPath, newPath };
  }
  if (fallback) return fallback;
  const space = rest.indexOf(' ');
  return space > 0 ? { oldPath: rest.slice(0, space), newPath: rest.slice(space + 1) } : undefined;
}

/** A `--- ` / `+++ ` path: quotes and the tab-separated timestamp removed; undefined for /dev/null. */
export function parseMarkerPath(value: string): string | undefined {
  let path = value.startsWith('"') ? (readQuoted(value, 0)?.value ?? value) : value.split('\t')[0];
  path = path.trim();
  if (path === '/dev/null' || path === '') return undefined;
  return path;
}

/** Applies one extended header line to `fields`; says whether it belonged to the header. */
export function readExtendedHeaderLine(content: string, fields: FileHeaderFields): HeaderLineEffect {
  let m: RegExpExecArray | null;
  if (/^(old|new) mode \d+$/.test(content) || /^(dis)?similarity index \d+%$/.test(content) || /^index [0-9a-f]+\.\.[0-9a-f]+/.test(content)) {
    return 'header';
  }
  if (/^new file mode \d+$/.test(content)) {
    fields.change = 'added';
    return 'header';
  }
  if (/^deleted file mode \d+$/.test(content)) {
    fields.change = 'deleted';
    return 'header';
  }
  if ((m = /^(rename|copy) (from|to) (.+)$/.exec(content))) {
    fields.change = m[1] === 'rename' ? 'renamed' : 'copied';
    const path = m[3].startsWith('"') ? (readQuoted(m[3], 0)?.value ?? m[3]) : m[3];
    if (m[2] === 'from') fields.explicitOld = path;
    else fields.explicitNew = path;
    return 'header';
  }
  if (/^Binary files .* differ$/.test(content)) {
    fields.binary = true;
    return 'header';
  }
  if (content === 'GIT binary patch') {
    fields.binary = true;
    return 'binary-data';
  }
  return 'end';
}

/** Lines of a `GIT binary patch` body: `literal 12`, `delta 40`, base85 rows, blank separators. */
export function isBinaryPatchData(content: string): boolean {
  return content === '' || /^(literal|delta) \d+$/.test(content) || /^[A-Za-z][0-9A-Za-z!#$%&()*+;<=>?@^_`{|}~-]{1,70}$/.test(content);
}

/**
 * The old and new paths and the kind of change. Prefixes are removed as `patch -p1` would: git's
 * `a/` and `b/`, or for other tools one leading directory when old and new start with different ones.
 */
export function resolveFileHeader(fields: FileHeaderFields): { oldPath: string | undefined; newPath: string | undefined; change: FileChange } {
  const git = fields.gitOld !== undefined ? stripPair(fields.gitOld, fields.gitNew, true) : undefined;
  const markers = stripPair(fields.markerOld ?? undefined, fields.markerNew ?? undefined, git !== undefined);
  let oldPath = fields.explicitOld ?? (fields.markerOld === null ? undefined : (markers.oldPath ?? git?.oldPath));
  let newPath = fields.explicitNew ?? (fields.markerNew === null ? undefined : (markers.newPath ?? git?.newPath));
  let change = fields.change;
  if (!change) {
    if (fields.markerOld === null) change = 'added';
    else if (fields.markerNew === null) change = 'deleted';
    else if (oldPath && newPath && oldPath !== newPath) change = 'renamed';
    else change = 'modified';
  }
  if (change === 'added') oldPath = undefined;
  if (change === 'deleted') newPath = undefined;
  return { oldPath, newPath, change };
}

function stripPair(oldPath: string | undefined, newPath: string | undefined, git: boolean): { oldPath: string | undefined; newPath: string | undefined } {
  if (oldPath?.startsWith('a/') || newPath?.startsWith('b/')) {
    return { oldPath: oldPath?.startsWith('a/') ? oldPath.slice(2) : oldPath, newPath: newPath?.startsWith('b/') ? newPath.slice(2) : newPath };
  }
  const firstDir = (p: string | undefined): string | undefined => (p && p.indexOf('/') > 0 ? p.slice(0, p.indexOf('/')) : undefined);
  const a = firstDir(oldPath);
  const b = firstDir(newPath);
  if (!git && a && b && a !== b) return { oldPath: oldPath!.slice(a.length + 1), newPath: newPath!.slice(b.length + 1) };
  return { oldPath, newPath };
}

function readQuoted(text: string, at: number): { value: string; end: number } | undefined {
  if (text[at] !== '"') return undefined;
  let value = '';
  for (let i = at + 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') return { value, end: i + 1 };
    if (ch === '\\' && i + 1 < text.length) {
      const next = text[++i];
      value += next === 't' ? '\t' : next === 'n' ? '\n' : next;
      continue;
    }
    value += ch;
  }
  return undefined;
}
