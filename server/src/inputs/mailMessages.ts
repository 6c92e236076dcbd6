// Splitting mbox files and format-patch mails into messages, and reading their main headers.

import type { DocumentLine } from './documentLines';
import type { MailMessage } from './types';

/** `From 1a2b3c… Mon Sep 17 00:00:00 2001` or `From someone@example.org Thu Jan  4 10:00:00 2024`. */
const MBOX_SEPARATOR = /^From \S+ +(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2} \d{1,2}:\d{2}(:\d{2})? (\d{4}|[A-Z]{3,4} \d{4})/;
const HEADER_LINE = /^([A-Za-z][A-Za-z0-9-]*):[ \t]?(.*)$/;

export interface MessageLayout {
  readonly messages: MailMessage[];
  /** Whether the document is an mbox (`From ` separator lines). */
  readonly mbox: boolean;
  /** For each document line, the index of its message (0 when there are none). */
  messageOf(line: number): number;
}

export function splitMessages(lines: readonly DocumentLine[]): MessageLayout {
  const starts: number[] = [];
  for (const line of lines) {
    if (line.tooLong || line.depth !== 0) continue;
    const previousBlank = line.index === 0 || lines[line.index - 1].raw.trim() === '';
    if (previousBlank && MBOX_SEPARATOR.test(line.raw) && isHeaderLine(lines[line.index + 1])) starts.push(line.index);
  }
  const mbox = starts.length > 0;
  if (!mbox && startsWithHeaders(lines)) starts.push(0);
  const messages = starts.map((start, i) => {
    const end = i + 1 < starts.length ? starts[i + 1] - 1 : lines.length - 1;
    const headers = readHeaders(lines, mbox ? start + 1 : start, end);
    return {
      subject: headers.get('subject'),
      from: headers.get('from'),
      date: headers.get('date'),
      range: { start: { line: start, character: 0 }, end: { line: end, character: lines[end]?.raw.length ?? 0 } },
    };
  });
  const messageOf = (line: number): number => {
    let index = 0;
    for (let i = 0; i < starts.length && starts[i] <= line; i++) index = i;
    return index;
  };
  return { messages, mbox, messageOf };
}

function isHeaderLine(line: DocumentLine | undefined): boolean {
  return line !== undefined && !line.tooLong && line.depth === 0 && HEADER_LINE.test(line.raw);
}

/** A mail saved without an mbox separator: headers from the first line, with From: or Subject:. */
function startsWithHeaders(lines: readonly DocumentLine[]): boolean {
  let sawKey = false;
  for (const line of lines) {
    if (line.raw.trim() === '') return sawKey;
    if (/^[ \t]/.test(line.raw) && line.index > 0) continue; // folded header
    const match = HEADER_LINE.exec(line.raw);
    if (!match || line.tooLong) return false;
    if (/^(from|subject)$/i.test(match[1])) sawKey = true;
  }
  return sawKey;
}

/** Header fields (lower-cased names) from `start` up to the first blank line, folded lines joined. */
function readHeaders(lines: readonly DocumentLine[], start: number, end: number): Map<string, string> {
  const headers = new Map<string, string>();
  let last: string | undefined;
  for (let i = start; i <= end; i++) {
    const raw = lines[i].raw;
    if (raw.trim() === '' || lines[i].tooLong) break;
    if (/^[ \t]/.test(raw) && last) {
      headers.set(last, `${headers.get(last)} ${raw.trim()}`);
      continue;
    }
    const match = HEADER_LINE.exec(raw);
    if (!match) break;
    last = match[1].toLowerCase();
    if (!headers.has(last)) headers.set(last, match[2].trim());
  }
  return headers;
}
