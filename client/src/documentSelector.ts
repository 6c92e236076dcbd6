// The documents mmlens analyses. Pure, so the manifest test can check the activation events
// against it.

/**
 * C sources and headers, patches, mbox/email, plain text (the server decides whether it holds a
 * patch), and scenarios (docs/scenarios.md).
 */
export const LANGUAGES = ['c', 'cpp', 'diff', 'mbox', 'plaintext', 'mmscenario'] as const;

/** Files on disk, unsaved buffers, the `git:` side of a diff editor, and virtual workspaces. */
export const SCHEMES = ['file', 'untitled', 'git', 'vscode-vfs'] as const;

export const DOCUMENT_SELECTOR: { language: string; scheme: string }[] = LANGUAGES.flatMap((language) =>
  SCHEMES.map((scheme) => ({ language, scheme })),
);
