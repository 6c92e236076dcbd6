// Public surface of the parsing stage: web-tree-sitter + the C grammar, kernel-macro blanking,
// per-document incremental trees, node ranges, and plain-data syntax answers.

export { blankKernelAnnotations, KERNEL_ANNOTATION_CALLS, KERNEL_ANNOTATION_WORDS } from './kernelAnnotations';
export { CParser, loadCParser, ParseTimeout, parseBudgetMs, type AbiInfo } from './cParser';
export { cSyntaxChecker, type CSyntaxChecker } from './cSyntax';
export { DocumentTreeStore, editBetween, type DocumentTree, type TextChange } from './documentTrees';
export { functionName, functionSpans, type FunctionSpan } from './functions';
export { nodeRange } from './nodeRange';
export { compiledQueryCount, query, QUERY_SOURCES, type QueryName } from './queries';
export { countSyntaxIssues, syntaxIssues, type SyntaxIssue } from './syntaxErrors';
export { tokenizeC, tokenText, type CToken, type CTokenKind } from './cTokens';
export { defaultWasmPaths, wasmPathsFromPackages, wasmPathsNextTo, type WasmPaths } from './wasmPaths';
