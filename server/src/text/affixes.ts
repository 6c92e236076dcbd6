// How two versions of a text differ, as one replaced range: the lengths of their common prefix
// and suffix (the suffix never overlapping the prefix).

const BLOCK = 512;

export interface Affixes {
  readonly prefix: number;
  readonly suffix: number;
}

export function commonAffixes(before: string, after: string): Affixes {
  const limit = Math.min(before.length, after.length);
  // compare in blocks first (string comparison is native), then character by character
  let prefix = 0;
  while (prefix + BLOCK <= limit && before.slice(prefix, prefix + BLOCK) === after.slice(prefix, prefix + BLOCK)) prefix += BLOCK;
  while (prefix < limit && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  const suffixLimit = limit - prefix;
  while (suffix + BLOCK <= suffixLimit && before.slice(before.length - suffix - BLOCK, before.length - suffix) === after.slice(after.length - suffix - BLOCK, after.length - suffix)) {
    suffix += BLOCK;
  }
  while (suffix < suffixLimit && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return { prefix, suffix };
}
