// Which profile a document is analysed on without being told, and why: the kernel tree, then the
// mail's subject, base-commit and Date:, then the default; a given profile and @mm profile win.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Annotation } from '../../simulator/src';
import { commitVersion } from '../../server/src/inputs/commitVersion';
import { documentProfile } from '../../server/src/inputs/documentProfile';
import { openKernelTree } from '../../server/src/inputs/kernelTree';
import { archOfPaths, mailDay, readMailHints, subjectVersion, type MailHints } from '../../server/src/inputs/mailHints';
import { chooseProfile, withAnnotations } from '../../server/src/inputs/profileChoice';
import { versionInDevelopmentOn } from '../../server/src/inputs/releaseDates';
import { readInputDocument } from '../../server/src/inputs';
import { fakeKernelTree, x86Config } from '../helpers/fakeKernelTree';

const version = (day: string) => {
  const found = versionInDevelopmentOn(day);
  return found.version ? `${found.version.major}.${found.version.minor}` : found.why;
};

test('a date reads as the release in development that day: the first one tagged on or after it', () => {
  assert.equal(version('2022-12-05'), '6.1'); // six days before 6.1 (2022-12-11)
  assert.equal(version('2022-12-11'), '6.1'); // the release day itself
  assert.equal(version('2022-12-12'), '6.2'); // the 6.2 merge window
  assert.equal(version('2023-02-19'), '6.2');
  assert.equal(version('2019-03-03'), '5.0'); // 4.20 is followed by 5.0
  assert.equal(version('2026-02-09'), '7.0'); // and 6.19 by 7.0
  assert.equal(version('2013-05-01'), '3.10');
  assert.match(version('2012-01-01'), /before 3\.10 was in development/);
  assert.equal(version('2026-09-01'), '7.3', 'within a cycle of the last known release: the next one');
  assert.match(version('2027-06-01'), /after the last release mmlens knows the date of \(7\.2\)/);
});

test('the Date: header as mailers and list archives write it', () => {
  assert.equal(mailDay('Mon, 5 Dec 2022 16:09:51 -0500'), '2022-12-05');
  assert.equal(mailDay('Mon Dec 05 2022 - 16:09:51 EST'), '2022-12-05');
  assert.equal(mailDay('December 5, 2022'), '2022-12-05');
  assert.equal(mailDay('2024-03-07T10:00:00Z'), '2024-03-07');
  assert.equal(mailDay('yesterday'), undefined);
  assert.equal(mailDay('Mon, 45 Dec 2022'), undefined);
});

test('version strings in a subject: stable and backport tags, "for x.y"; not patch revisions or counters', () => {
  const read = (subject: string) => {
    const found = subjectVersion(subject);
    return found ? `${found.version.major}.${found.version.minor} ${found.token}` : undefined;
  };
  assert.equal(read('[PATCH 6.1.y] mm/mprotect: fix soft-dirty check'), '6.1 6.1.y');
  assert.equal(read('[PATCH v3 5.10] mm: fix a race'), '5.10 5.10');
  assert.equal(read('[PATCH 6.6 012/123] mm/migrate: keep uffd-wp'), '6.6 6.6');
  assert.equal(read('Re: [PATCH AUTOSEL 6.12 05/20] x86/mm: keep dirty'), '6.12 6.12');
  assert.equal(read('[PATCH for-6.2] mm: fix'), '6.2 for-6.2');
  assert.equal(read('[GIT PULL] MM updates for 6.3-rc1'), '6.3 for 6.3-rc1');
  assert.equal(read('[PATCH] mm: backport to linux-6.6.y'), '6.6 6.6.y');
  assert.equal(read('[PATCH v2 3/4] mm/uffd: always wr-protect pte in pte_mkuffd_wp()'), undefined);
  assert.equal(read('[PATCH 2.6.32] ancient'), undefined, 'outside the modelled versions');
});

test('the patched paths name an architecture only when they name one', () => {
  assert.deepEqual(archOfPaths(['mm/memory.c', 'arch/arm64/include/asm/pgtable.h']), { arch: 'arm64', path: 'arch/arm64/include/asm/pgtable.h' });
  assert.equal(archOfPaths(['arch/x86/mm/pgtable.c'])?.arch, 'x86_64');
  assert.equal(archOfPaths(['arch/riscv/include/asm/pgtable.h'])?.arch, 'generic');
  assert.equal(archOfPaths(['arch/x86/mm/pgtable.c', 'arch/arm64/mm/mmu.c']), undefined);
  assert.equal(archOfPaths(['mm/mprotect.c']), undefined);
});

const PATCH = `From 1a2b3c4d5e6f Mon Sep 17 00:00:00 2001
From: A. Developer <dev@example.org>
Date: Tue, 7 Mar 2023 10:00:00 +0100
Subject: [PATCH 6.1.y] arm64/mm: keep the dirty bit

---
 arch/arm64/include/asm/pgtable.h | 1 +
 1 file changed, 1 insertion(+)

diff --git a/arch/arm64/include/asm/pgtable.h b/arch/arm64/include/asm/pgtable.h
--- a/arch/arm64/include/asm/pgtable.h
+++ b/arch/arm64/include/asm/pgtable.h
@@ -10,3 +10,4 @@ static inline pte_t demo(pte_t pte)
 {
+\tpte = pte_mkdirty(pte);
 \treturn pte;
 }

base-commit: 0123456789abcdef0123456789abcdef01234567
--
2.40.0
`;

test('a mail says its subject version, base-commit, Date: and patched architecture', () => {
  const hints = readMailHints(PATCH, readInputDocument(PATCH, { path: 'demo.patch' }));
  assert.equal(hints.subject?.version?.token, '6.1.y');
  assert.equal(hints.baseCommit, '0123456789abcdef0123456789abcdef01234567');
  assert.deepEqual(hints.date, { text: 'Tue, 7 Mar 2023 10:00:00 +0100', day: '2023-03-07' });
  assert.equal(hints.patchedArch?.arch, 'arm64');
  // a page saved from a list archive: the subject first, then From: and Date:
  const archived = 'Re: [PATCH RFC] mm/userfaultfd: enable writenotify\n\nFrom: Peter Xu\nDate: Mon Dec 05 2022 - 16:09:51 EST\n\n> quoted text\n';
  const fromArchive = readMailHints(archived, readInputDocument(archived, { path: 'thread.txt' }));
  assert.equal(fromArchive.subject?.text, 'Re: [PATCH RFC] mm/userfaultfd: enable writenotify');
  assert.equal(fromArchive.date?.day, '2022-12-05');
});

test('precedence: given > tree > subject > base-commit > Date: > default, each with its reason', () => {
  const tree = openKernelTree(fakeKernelTree({ version: '6.6.30', config: x86Config(['MEM_SOFT_DIRTY']) }));
  const mail: MailHints = {
    subject: { text: '[PATCH 5.15] x', version: { version: { major: 5, minor: 15 }, token: '5.15' } },
    baseCommit: 'abcdef1',
    date: { text: 'Mon, 5 Dec 2022', day: '2022-12-05' },
  };
  const resolved = (commit: string) => (commit === 'abcdef1' ? { release: '6.4.0-rc2', version: { major: 6, minor: 4 } } : undefined);
  const all = { tree, mail, commitVersion: resolved };
  const pick = (evidence: Parameters<typeof chooseProfile>[0]) => {
    const choice = chooseProfile(evidence);
    return `${choice.profile} | ${choice.source} | ${choice.reason}`;
  };
  assert.equal(pick({ ...all, given: 'arm64@6.9', givenBy: 'flag' }), 'arm64@6.9 | flag | from --profile');
  assert.equal(pick({ ...all, given: 'x86_64' }), 'x86_64@6.19 | setting | from the mmlens.profile setting');
  assert.equal(pick({ ...all, given: 'auto' }), `x86_64@6.6 -MEM_SOFT_DIRTY | tree | from the kernel tree at ${tree.root}: Makefile 6.6.30, .config`);
  assert.equal(pick({ mail, commitVersion: resolved }), 'x86_64@5.15 | subject | from the subject\'s "5.15"');
  assert.equal(pick({ mail: { ...mail, subject: { text: 'Re: x' } }, commitVersion: resolved }), 'x86_64@6.4 | base-commit | from the mail\'s base-commit abcdef1 (Makefile 6.4.0-rc2 there)');
  assert.equal(pick({ mail: { ...mail, subject: { text: 'Re: x' } } }), 'x86_64@6.1 | date | from the mail\'s Date: 2022-12-05', 'an unresolvable base-commit is passed over');
  assert.equal(pick({}), 'x86_64@6.19 | default | the default: no annotation, setting, kernel tree or mail header chose one');
  assert.equal(pick({ mail: { date: { text: 'Mon, 5 Dec 2022', day: '2022-12-05' }, patchedArch: { arch: 'arm64', path: 'arch/arm64/mm/mmu.c' } } }), 'arm64@6.1 | date | from the mail\'s Date: 2022-12-05; arm64 from the patched path arch/arm64/mm/mmu.c');
});

test('a tree: the .config decides the symbols the model knows; a file under arch/ decides the architecture', () => {
  const root = fakeKernelTree({ version: '6.19.9', config: x86Config(['MEM_SOFT_DIRTY', 'X86_USER_SHADOW_STACK']) });
  const tree = openKernelTree(root);
  assert.equal(chooseProfile({ tree, path: join(root, 'mm', 'mprotect.c') }).profile, 'x86_64@6.19 -MEM_SOFT_DIRTY -X86_USER_SHADOW_STACK');
  // arm64 code in an x86-configured tree: arm64, with its default config
  const arm = chooseProfile({ tree, path: join(root, 'arch', 'arm64', 'mm', 'mmu.c') });
  assert.equal(arm.profile, 'arm64@6.19');
  assert.match(arm.reason, /\.config ignored: it is for x86_64; arm64 from the path arch\/arm64\/mm\/mmu\.c$/);
  // no .config: the version only
  assert.equal(chooseProfile({ tree: openKernelTree(fakeKernelTree({ version: '5.10.200' })) }).profile, 'x86_64@5.10');
  // an arm64 .config
  const arm64Tree = openKernelTree(fakeKernelTree({ version: '6.12.1', config: ['CONFIG_ARM64=y', 'CONFIG_HAVE_ARCH_USERFAULTFD_WP=y', 'CONFIG_PTE_MARKER_UFFD_WP=y', 'CONFIG_NUMA_BALANCING=y', 'CONFIG_TRANSPARENT_HUGEPAGE=y', 'CONFIG_ARCH_ENABLE_THP_MIGRATION=y', 'CONFIG_MIGRATION=y', 'CONFIG_DEVICE_PRIVATE=y', 'CONFIG_MEMORY_FAILURE=y'] }));
  assert.equal(chooseProfile({ tree: arm64Tree }).profile, 'arm64@6.12 -ARCH_SUPPORTS_PMD_PFNMAP');
});

test('an @mm profile the functions followed wins; one that only some follow is named in the reason', () => {
  const detected = chooseProfile({ mail: { date: { text: '', day: '2022-12-05' } } });
  const annotation = { kind: 'profile', spec: 'arm64@6.10', line: 3, range: { start: { line: 3, character: 0 }, end: { line: 3, character: 30 } } } as Annotation;
  assert.deepEqual(withAnnotations(detected, [annotation], ['arm64@6.10']), { profile: 'arm64@6.10', source: 'annotation', reason: 'from the @mm profile annotation on line 4' });
  const mixed = withAnnotations(detected, [annotation], ['arm64@6.10', 'x86_64@6.1']);
  assert.equal(mixed.profile, 'x86_64@6.1');
  assert.match(mixed.reason, /; functions under the @mm profile annotation on line 4 use arm64@6\.10$/);
  assert.equal(withAnnotations(detected, [], ['x86_64@6.1']), detected);
});

test('a base-commit resolves against the git repository the document sits in', { skip: spawnSync('git', ['--version']).status === 0 ? false : 'no git' }, () => {
  const repo = mkdtempSync(join(tmpdir(), 'mmlens-git-'));
  const git = (...args: string[]) => spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo, encoding: 'utf8' }).stdout.trim();
  git('init', '-q');
  writeFileSync(join(repo, 'Makefile'), 'VERSION = 6\nPATCHLEVEL = 2\nSUBLEVEL = 0\nEXTRAVERSION = -rc4\n');
  git('add', 'Makefile');
  git('commit', '-qm', 'Linux 6.2-rc4');
  const commit = git('rev-parse', 'HEAD');
  assert.deepEqual(commitVersion(repo, commit), { release: '6.2.0-rc4', version: { major: 6, minor: 2 } });
  assert.deepEqual(commitVersion(repo, commit.slice(0, 12)), { release: '6.2.0-rc4', version: { major: 6, minor: 2 } });
  assert.equal(commitVersion(repo, 'deadbeefdeadbeef'), undefined);
  assert.equal(commitVersion(repo, '--help'), undefined, 'only commit ids reach git');
  assert.equal(commitVersion(mkdtempSync(join(tmpdir(), 'mmlens-nogit-')), commit), undefined);
});

test('a document finds its tree from where it is on disk; a bad profile or tree setting is a problem on it, not a crash', () => {
  const root = fakeKernelTree({ version: '6.9.1' });
  const c = 'static int f(void)\n{\n\treturn 0;\n}\n';
  const input = readInputDocument(c, { path: 'mm/f.c' });
  assert.equal(documentProfile(c, input, { path: 'mm/f.c' }).choice.source, 'default', 'a relative path alone is not looked up');
  assert.equal(documentProfile(c, input, { path: 'mm/f.c', diskPath: join(root, 'mm', 'f.c') }).choice.profile, 'x86_64@6.9');
  assert.equal(documentProfile(c, input, { path: join(root, 'mm', 'f.c') }).choice.source, 'tree');
  assert.equal(documentProfile(c, input, { kernelTree: root }).choice.profile, 'x86_64@6.9', 'mmlens.tree: a root to read');

  const badTree = documentProfile(c, input, { kernelTree: join(root, 'mm') });
  assert.equal(badTree.choice.source, 'default');
  assert.match(badTree.problems[0]!.message, /^mmlens\.tree: .*mm is not a kernel tree: .* has no Makefile$/);
  const badProfile = documentProfile(c, input, { profile: 'sparc64', path: join(root, 'mm', 'f.c') });
  assert.equal(badProfile.choice.source, 'tree');
  assert.match(badProfile.problems[0]!.message, /^profile "sparc64": unknown architecture "sparc64" .*; chosen from the document instead$/);
  assert.equal(badProfile.problems[0]!.severity, 'error');
});
