// What a mail or patch says about the kernel it was written against: version strings in the
// subject (`[PATCH 6.1.y]`, `[PATCH v3 5.10 2/7]`, "for 6.2"), the `base-commit:` trailer that
// git format-patch and b4 add, the Date: header, and the architecture of the patched paths.
// Pure: the text and what the inputs stage found in it.

import { parseVersion, type ArchName, type Version } from '../../../simulator/src';
import type { FilePatch, Hunk, MailMessage } from './types';

export interface SubjectVersion {
  readonly version: Version;
  /** The words it was read from, e.g. `6.1.y` or `for 6.2`. */
  readonly token: string;
}

export interface MailHints {
  readonly subject?: { readonly text: string; readonly version?: SubjectVersion };
  /** A commit id from `base-commit:` (7 to 40 hex digits). */
  readonly baseCommit?: string;
  /** The Date: header and the calendar day in it (YYYY-MM-DD, as the sender wrote it). */
  readonly date?: { readonly text: string; readonly day: string | undefined };
  readonly patchedArch?: PathArch;
}

export interface PathArch {
  readonly arch: ArchName;
  /** A path that says so, e.g. `arch/arm64/mm/mmu.c`. */
  readonly path: string;
}

/** Mail headers sit at the top; a web archive's copy puts the subject first, then From:/Date:. */
const HEADER_SCAN_LINES = 40;

export function readMailHints(text: string, input: { readonly messages: readonly MailMessage[]; readonly filePatches: readonly FilePatch[]; readonly hunks: readonly Hunk[] }): MailHints {
  const top = topLines(text);
  const subjects = [...input.messages.map((m) => m.subject), headerIn(top, 'subject'), subjectLikeFirstLine(top)].filter((s): s is string => s !== undefined && s.trim() !== '');
  const withVersion = subjects.map((s) => ({ text: s, version: subjectVersion(s) })).find((s) => s.version);
  const subject = withVersion ?? (subjects[0] !== undefined ? { text: subjects[0] } : undefined);
  const dateText = input.messages.map((m) => m.date).find((d) => d !== undefined) ?? headerIn(top, 'date');
  const baseCommit = /^base-commit: *([0-9a-f]{7,40})[ \t]*$/m.exec(text)?.[1];
  const paths = [...input.filePatches.flatMap((f) => [f.newPath, f.oldPath]), ...input.hunks.map((h) => h.path)].filter((p): p is string => p !== undefined);
  const patchedArch = archOfPaths(paths);
  return {
    ...(subject ? { subject: withVersion?.version ? { text: subject.text, version: withVersion.version } : { text: subject.text } } : {}),
    ...(baseCommit ? { baseCommit } : {}),
    ...(dateText ? { date: { text: dateText, day: mailDay(dateText) } } : {}),
    ...(patchedArch ? { patchedArch } : {}),
  };
}

function topLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  while (lines.length < HEADER_SCAN_LINES && start <= text.length) {
    const end = text.indexOf('\n', start);
    lines.push(text.slice(start, end < 0 ? text.length : end).replace(/\r$/, ''));
    if (end < 0) break;
    start = end + 1;
  }
  return lines;
}

/** An unquoted `Name: value` line near the top (the first one). */
function headerIn(lines: readonly string[], name: string): string | undefined {
  const pattern = new RegExp(`^${name}:[ \\t]*(.+)$`, 'i');
  for (const line of lines) {
    if (/^(diff --git|@@ |--- )/.test(line)) return undefined;
    const match = pattern.exec(line);
    if (match) return match[1]!.trim();
  }
  return undefined;
}

/** `Re: [PATCH RFC] mm/…` as the first line of a page saved from a list archive. */
function subjectLikeFirstLine(lines: readonly string[]): string | undefined {
  const first = lines.find((line) => line.trim() !== '')?.trim();
  return first !== undefined && (/^(re|fwd?|aw):/i.test(first) || /\[[^\]]*\b(patch|rfc|git pull)\b[^\]]*\]/i.test(first)) ? first : undefined;
}

/** `6.1`, `6.1.y`, `5.10.123`, `6.3-rc1`, `linux-6.6.y`, `for-6.2` (a patch revision such as `v3` has no dot). */
const VERSION_TOKEN = /^(?:linux-|for-|stable-)?(\d+)\.(\d+)(?:\.(?:\d+|y))?(?:-rc\d+)?$/i;
const PHRASES = [/\bfor[- ]v?(\d+)\.(\d+)(?:-rc\d+)?\b/i, /\b(\d+)\.(\d+)\.y\b/i, /\b(\d+)\.(\d+)-stable\b/i];

/** The kernel version a subject names for its patch, if it names one the model covers. */
export function subjectVersion(subject: string): SubjectVersion | undefined {
  for (const tag of subject.matchAll(/\[([^\]]*)\]/g)) {
    for (const token of tag[1]!.split(/[\s,]+/)) {
      const match = VERSION_TOKEN.exec(token);
      const version = match && modelled(match[1]!, match[2]!);
      if (version) return { version, token };
    }
  }
  for (const phrase of PHRASES) {
    const match = phrase.exec(subject);
    const version = match && modelled(match[1]!, match[2]!);
    if (version) return { version, token: match[0] };
  }
  return undefined;
}

function modelled(major: string, minor: string): Version | undefined {
  try {
    return parseVersion(`${major}.${minor}`);
  } catch {
    return undefined;
  }
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?';

/**
 * The calendar day of a Date: header: RFC 2822 (`Mon, 5 Dec 2022 16:09:51 -0500`), list
 * archives (`Mon Dec 05 2022 - 16:09:51 EST`) or ISO (`2022-12-05`). The sender's day: time
 * zones are ignored, which moves nothing but a mail sent within hours of a release.
 */
export function mailDay(header: string): string | undefined {
  const iso = /\b(\d{4})-(\d{2})-(\d{2})(?!\d)/.exec(header);
  if (iso) return day(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const dayFirst = new RegExp(`\\b(\\d{1,2})\\s+${MONTH},?\\s+(\\d{4})\\b`, 'i').exec(header);
  if (dayFirst) return day(Number(dayFirst[3]), MONTHS.indexOf(dayFirst[2]!.toLowerCase()) + 1, Number(dayFirst[1]));
  const monthFirst = new RegExp(`\\b${MONTH}\\s+(\\d{1,2}),?\\s+(\\d{4})\\b`, 'i').exec(header);
  if (monthFirst) return day(Number(monthFirst[3]), MONTHS.indexOf(monthFirst[1]!.toLowerCase()) + 1, Number(monthFirst[2]));
  return undefined;
}

function day(year: number, month: number, date: number): string | undefined {
  if (month < 1 || month > 12 || date < 1 || date > 31 || year < 1991) return undefined;
  return `${year}-${String(month).padStart(2, '0')}-${String(date).padStart(2, '0')}`;
}

/** Kernel `arch/` directories with a model of their own; every other one is `generic`. */
const ARCH_DIRECTORIES: Readonly<Record<string, ArchName>> = { x86: 'x86_64', arm64: 'arm64' };

/** The architecture the paths belong to, when they name exactly one (`arch/arm64/…`). */
export function archOfPaths(paths: readonly string[]): PathArch | undefined {
  const found = new Map<ArchName, string>();
  for (const path of paths) {
    const directory = /^(?:[ab]\/)?arch\/([^/]+)\//.exec(path)?.[1];
    if (directory && !found.has(ARCH_DIRECTORIES[directory] ?? 'generic')) found.set(ARCH_DIRECTORIES[directory] ?? 'generic', path);
  }
  if (found.size !== 1) return undefined;
  const [[arch, path]] = [...found] as [[ArchName, string]];
  return { arch, path };
}
