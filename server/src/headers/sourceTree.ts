// Where the header reader gets files: a kernel tree on disk, or files held in memory (tests,
// patched copies). Paths are relative to the tree's root, with `/`.

import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface SourceTree {
  /** Names the tree in messages and cache keys (the root directory for a tree on disk). */
  readonly id: string;
  /** The file's text, or undefined when there is no such file. */
  read(path: string): string | undefined;
}

/** Headers larger than this are not read (a header is never this big; a binary file might be). */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

export function treeOnDisk(root: string): SourceTree {
  const cache = new Map<string, string | undefined>();
  return {
    id: root,
    read(path) {
      if (cache.has(path)) return cache.get(path);
      let text: string | undefined;
      try {
        const full = join(root, path);
        const stat = statSync(full);
        text = stat.isFile() && stat.size <= MAX_FILE_BYTES ? readFileSync(full, 'utf8') : undefined;
      } catch {
        text = undefined;
      }
      cache.set(path, text);
      return text;
    },
  };
}

export function treeInMemory(id: string, files: Readonly<Record<string, string>>): SourceTree {
  return { id, read: (path) => files[path] };
}

/** `base` with some files replaced (a patched copy of a tree); its id names the replaced content, so caches tell copies apart. */
export function treeWithOverlay(base: SourceTree, files: Readonly<Record<string, string>>, id = `${base.id}+${createHash('sha256').update(JSON.stringify(files)).digest('hex').slice(0, 12)}`): SourceTree {
  return { id, read: (path) => (path in files ? files[path] : base.read(path)) };
}
