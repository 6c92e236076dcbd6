// Makes a hunk image that is only part of a file parseable: a few wrappers are tried (statements in a
// function body, top-level code, a plain body) with the repairs the cut edges need — openers for
// a `}` without its `{` (an `if (…) {` before `} else`, `do {` before `} while`), a `switch` for
// a leading `case`, `/*` for a comment cut at the start, closers for what is left open at the end
// (comment, argument list, braces, `#if`). The wrapper with the fewest syntax issues is kept.
// Wrapper lines are whole lines of their own, so the hunk text keeps its columns.

import { tokenizeC, type CToken } from '../parsing/cTokens';
import type { CSyntaxChecker } from '../parsing/cSyntax';
import type { PositionMap } from './positionMap';
import type { HunkImage } from './types';

/** The name the wrappers give the function they add, and the opaque names they use. */
export const FRAGMENT_FUNCTION = '__mmlens_fragment';
export const FRAGMENT_CONDITION = '__mmlens_cond';
export const FRAGMENT_CALL = '__mmlens_call';

export interface WrapperCandidate {
  readonly name: 'function-body' | 'top-level' | 'plain-body';
  readonly before: readonly string[];
  readonly after: readonly string[];
}

export interface WrappedFragment {
  readonly text: string;
  readonly positionMap: PositionMap;
  readonly wrapper: WrapperCandidate['name'];
  /** Syntax issues left with the chosen wrapper; undefined when no checker was given. */
  readonly syntaxIssues: number | undefined;
  /** Functions the fragment defines whole (found when it is kept at top level). */
  readonly functionNames: readonly string[];
}

/** What the edges of a fragment leave open or closed too early. */
export interface FragmentShape {
  readonly startsInComment: boolean;
  readonly endsInComment: boolean;
  /** `#else`/`#endif` without their `#if`, and `#if`s left open. */
  readonly preprocessorOpeners: number;
  readonly preprocessorClosers: number;
  /** For each `}` without its `{`, innermost first: what the missing opener must be. */
  readonly braceOpeners: ReadonlyArray<'block' | 'if' | 'do' | 'switch'>;
  readonly braceClosers: number;
  readonly parenOpeners: number;
  /** What follows the `)` that closes the outermost missing `(`: `;` for a call, a statement for a condition. */
  readonly afterParenOpeners: string | undefined;
  readonly parenClosers: number;
  /** The fragment ends after an operator or comma: a closed argument list needs an operand. */
  readonly endsWantingOperand: boolean;
  readonly endsWithComma: boolean;
  readonly firstWord: string | undefined;
}

export function fragmentShape(body: string): FragmentShape {
  const firstLine = body.split('\n').find((l) => l.trim() !== '') ?? '';
  let tokens = tokenizeC(body);
  const firstCommentEnd = tokens.findIndex((t) => t.kind === 'comment-end');
  const startsInComment = (firstCommentEnd >= 0 && !tokens.slice(0, firstCommentEnd).some((t) => t.kind === 'comment')) || /^\s*\*(\s|$)/.test(firstLine);
  if (startsInComment) {
    // read the rest as if the comment had been opened before the fragment
    const reopened = tokenizeC(`/*${body}`);
    tokens = reopened.slice(1).map((t) => ({ ...t, start: t.start - 2, end: t.end - 2 }));
    if (reopened[0]?.unterminated) tokens = [{ ...reopened[0], start: 0, end: body.length }];
  }
  const last = tokens[tokens.length - 1];
  const endsInComment = last?.kind === 'comment' && last.unterminated === true;
  const code = tokens.filter((t) => t.kind !== 'comment' && t.kind !== 'comment-end' && t.kind !== 'preprocessor');
  const text = (t: CToken): string => body.slice(t.start, t.end);

  let ppDepth = 0;
  let ppMin = 0;
  for (const t of tokens) {
    if (t.kind !== 'preprocessor') continue;
    const directive = /^#\s*(\w+)/.exec(text(t))?.[1] ?? '';
    if (/^if(n?def)?$/.test(directive)) ppDepth++;
    else if (directive === 'endif') ppMin = Math.min(ppMin, --ppDepth);
    else if (/^el(se|if|ifn?def)$/.test(directive)) ppMin = Math.min(ppMin, ppDepth - 1);
  }

  const braceOpeners: Array<FragmentShape['braceOpeners'][number]> = [];
  let braces = 0;
  let parens = 0;
  let parenMin = 0;
  let afterParenOpeners: string | undefined;
  for (let i = 0; i < code.length; i++) {
    const word = text(code[i]);
    if (word === '{') braces++;
    else if (word === '(') parens++;
    else if (word === ')' && --parens < parenMin) {
      parenMin = parens;
      afterParenOpeners = code[i + 1] ? text(code[i + 1]) : undefined;
    }
    else if (word === '}') {
      if (braces === 0) {
        const next = code[i + 1] ? text(code[i + 1]) : '';
        braceOpeners.push(next === 'else' ? 'if' : next === 'while' ? 'do' : 'block');
      } else {
        braces--;
      }
    }
  }
  const firstWord = code[0] ? text(code[0]) : undefined;
  if ((firstWord === 'case' || firstWord === 'default') && braceOpeners.length > 0) {
    braceOpeners[braceOpeners.length - 1] = 'switch';
  }
  const lastWord = code.length > 0 ? text(code[code.length - 1]) : '';
  return {
    startsInComment,
    endsInComment,
    preprocessorOpeners: Math.max(0, -ppMin),
    preprocessorClosers: ppDepth - ppMin,
    braceOpeners,
    braceClosers: braces,
    parenOpeners: Math.max(0, -parenMin),
    afterParenOpeners,
    parenClosers: parens - parenMin,
    endsWantingOperand: /^([-+*/%&|^!=<>?:,]|&&|\|\|)$/.test(lastWord),
    endsWithComma: lastWord === ',',
    firstWord,
  };
}

export function wrapperCandidates(shape: FragmentShape): WrapperCandidate[] {
  const comment = { open: shape.startsInComment ? ['/*'] : [], close: shape.endsInComment ? ['*/'] : [] };
  const ppOpen = Array<string>(shape.preprocessorOpeners).fill('#if 1');
  const ppClose = Array<string>(shape.preprocessorClosers).fill('#endif');
  const opener = (kind: FragmentShape['braceOpeners'][number]): string =>
    kind === 'if' ? `if (${FRAGMENT_CONDITION}) {` : kind === 'do' ? 'do {' : kind === 'switch' ? `switch (${FRAGMENT_CONDITION}) {` : '{';
  // outermost first: the last unmatched `}` closes the outermost opener
  const openers = [...shape.braceOpeners].reverse().map(opener);
  const leadingCase = shape.firstWord === 'case' || shape.firstWord === 'default';
  const needSwitch = leadingCase && !shape.braceOpeners.includes('switch');
  const leadingElse = shape.firstWord === 'else' ? [`if (${FRAGMENT_CONDITION})`, '\t;'] : [];
  const closers = Array<string>(shape.braceClosers).fill('}');
  const parenOpen = shape.parenOpeners;
  // `…);` ends a call; anything else after the `)` is the statement of an `if (…)`
  const callOrCondition = shape.afterParenOpeners === ';' || shape.afterParenOpeners === undefined ? FRAGMENT_CALL : 'if ';
  const parenClose = shape.parenClosers > 0 ? [`${shape.endsWantingOperand ? '0' : ''}${')'.repeat(shape.parenClosers)};`] : [];

  const functionBody: WrapperCandidate = {
    name: 'function-body',
    before: [
      `void ${FRAGMENT_FUNCTION}(void)`,
      '{',
      ...ppOpen,
      ...openers,
      ...(needSwitch ? [`switch (${FRAGMENT_CONDITION}) {`] : []),
      ...leadingElse,
      ...(parenOpen > 0 ? [`${callOrCondition}${'('.repeat(parenOpen)}`] : []),
      ...comment.open,
    ],
    after: [...comment.close, ...parenClose, ...closers, ...(needSwitch ? ['}'] : []), ...ppClose, '}'],
  };

  const topOpeners = openers.length > 0 ? [`void ${FRAGMENT_FUNCTION}(void)`, ...openers] : [];
  const topParenClose = shape.parenClosers > 0 ? [`${shape.endsWithComma ? '...' : ''}${')'.repeat(shape.parenClosers)};`] : [];
  const topLevel: WrapperCandidate = {
    name: 'top-level',
    before: [...ppOpen, ...topOpeners, ...(parenOpen > 0 ? [`static void ${FRAGMENT_FUNCTION}${'('.repeat(parenOpen)}`] : []), ...comment.open],
    after: [...comment.close, ...topParenClose, ...closers, ...ppClose],
  };

  const plainBody: WrapperCandidate = {
    name: 'plain-body',
    before: [`void ${FRAGMENT_FUNCTION}(void)`, '{', ...comment.open],
    after: [...comment.close, '}'],
  };
  return [functionBody, topLevel, plainBody];
}

/**
 * Wraps a hunk image so that it parses. With a checker every candidate is parsed and the one
 * with the fewest issues kept: ties go to the earlier candidate, except that a fragment holding
 * whole functions stays at top level (the C grammar accepts GNU nested functions, which would
 * hide the difference). Without a checker, the function-body wrapper.
 */
export function wrapFragment(image: HunkImage, syntax?: CSyntaxChecker): WrappedFragment {
  const body = image.text.endsWith('\n') ? image.text.slice(0, -1) : image.text;
  const candidates = wrapperCandidates(fragmentShape(body));
  const textOf = (c: WrapperCandidate): string => [...c.before, body, ...c.after].join('\n') + '\n';
  let best = candidates[0];
  let bestIssues: number | undefined;
  let functionNames: string[] = [];
  if (syntax) {
    const scored = candidates.map((candidate) => ({ candidate, issues: syntax.countSyntaxIssues(textOf(candidate)) }));
    const fewest = Math.min(...scored.map((s) => s.issues));
    const tied = scored.filter((s) => s.issues === fewest);
    const topLevel = tied.find((s) => s.candidate.name === 'top-level');
    const defined = topLevel ? syntax.functionSpans(textOf(topLevel.candidate)).map((f) => f.name ?? '').filter((n) => n !== '' && n !== FRAGMENT_FUNCTION) : [];
    best = (defined.length > 0 ? topLevel : tied[0])!.candidate;
    if (best.name === 'top-level') functionNames = defined;
    bestIssues = fewest;
  }
  const bodyLines = image.positionMap.kind === 'lines' ? image.positionMap.lines : [];
  const positionMap: PositionMap = {
    kind: 'lines',
    lines: [...best.before.map(() => []), ...bodyLines, ...best.after.map(() => [])],
    workspaceFile: undefined,
    fragment: { linesBefore: best.before.length, linesAfter: best.after.length, columnOffset: 0 },
  };
  return { text: textOf(best), positionMap, wrapper: best.name, syntaxIssues: bestIssues, functionNames };
}
