// Mainline release dates, to read a mail's Date: as the kernel version its code was written
// against: the release in development that day, i.e. the first release on or after it (in the
// merge window after x.y, the tree already fills with what becomes x.y+1).
//
// Sources: 3.10 … 6.12 from the kernel.org release announcements as commonly tabulated (e.g. the
// longterm table on kernel.org: 4.14 2017-11-12, 4.19 2018-10-22, 5.4 2019-11-24, 5.10 2020-12-13,
// 5.15 2021-10-31, 6.1 2022-12-11). Checked with the search tool's pages corpus for the recent
// ones: 6.14 on Monday 2025-03-24 (a day late, techzine.eu), 6.17 2025-09-28 (webpronews.com),
// 6.18 2025-11-30 (Torvalds' LKML post as quoted by thenewstack/feedman.me), 6.19 2026-02-08
// (techdrop.one, bgnews24.org), 7.0 2026-04-12 (storagenewsletter.com, pbxscience.com), 7.1
// 2026-06-14 (7.1-rc7 on 2026-06-07 "the last rc", gogoai.xin; 7.2-rc1 on 2026-06-28 two weeks
// after it, ostechnix.com). 7.2 is an estimate: 7.2-rc1 (2026-06-28) plus a seven-rc cycle, which
// agrees with the "Linux 7.3-rc3" merge seen on 2026-09-14 (docs/profiles.md, row 3).

import type { Version } from '../../../simulator/src';

interface Release {
  readonly version: Version;
  /** YYYY-MM-DD, the day the release was tagged. */
  readonly date: string;
}

const RELEASES: readonly Release[] = (
  [
    ['3.9', '2013-04-28'],
    ['3.10', '2013-06-30'],
    ['3.11', '2013-09-02'],
    ['3.12', '2013-11-03'],
    ['3.13', '2014-01-19'],
    ['3.14', '2014-03-30'],
    ['3.15', '2014-06-08'],
    ['3.16', '2014-08-03'],
    ['3.17', '2014-10-05'],
    ['3.18', '2014-12-07'],
    ['3.19', '2015-02-08'],
    ['4.0', '2015-04-12'],
    ['4.1', '2015-06-21'],
    ['4.2', '2015-08-30'],
    ['4.3', '2015-11-01'],
    ['4.4', '2016-01-10'],
    ['4.5', '2016-03-13'],
    ['4.6', '2016-05-15'],
    ['4.7', '2016-07-24'],
    ['4.8', '2016-10-02'],
    ['4.9', '2016-12-11'],
    ['4.10', '2017-02-19'],
    ['4.11', '2017-04-30'],
    ['4.12', '2017-07-02'],
    ['4.13', '2017-09-03'],
    ['4.14', '2017-11-12'],
    ['4.15', '2018-01-28'],
    ['4.16', '2018-04-01'],
    ['4.17', '2018-06-03'],
    ['4.18', '2018-08-12'],
    ['4.19', '2018-10-22'],
    ['4.20', '2018-12-23'],
    ['5.0', '2019-03-03'],
    ['5.1', '2019-05-05'],
    ['5.2', '2019-07-07'],
    ['5.3', '2019-09-15'],
    ['5.4', '2019-11-24'],
    ['5.5', '2020-01-26'],
    ['5.6', '2020-03-29'],
    ['5.7', '2020-05-31'],
    ['5.8', '2020-08-02'],
    ['5.9', '2020-10-11'],
    ['5.10', '2020-12-13'],
    ['5.11', '2021-02-14'],
    ['5.12', '2021-04-25'],
    ['5.13', '2021-06-27'],
    ['5.14', '2021-08-29'],
    ['5.15', '2021-10-31'],
    ['5.16', '2022-01-09'],
    ['5.17', '2022-03-20'],
    ['5.18', '2022-05-22'],
    ['5.19', '2022-07-31'],
    ['6.0', '2022-10-02'],
    ['6.1', '2022-12-11'],
    ['6.2', '2023-02-19'],
    ['6.3', '2023-04-23'],
    ['6.4', '2023-06-25'],
    ['6.5', '2023-08-27'],
    ['6.6', '2023-10-30'],
    ['6.7', '2024-01-07'],
    ['6.8', '2024-03-10'],
    ['6.9', '2024-05-12'],
    ['6.10', '2024-07-14'],
    ['6.11', '2024-09-15'],
    ['6.12', '2024-11-17'],
    ['6.13', '2025-01-19'],
    ['6.14', '2025-03-24'],
    ['6.15', '2025-05-25'],
    ['6.16', '2025-07-27'],
    ['6.17', '2025-09-28'],
    ['6.18', '2025-11-30'],
    ['6.19', '2026-02-08'],
    ['7.0', '2026-04-12'],
    ['7.1', '2026-06-14'],
    ['7.2', '2026-08-16'],
  ] as const
).map(([version, date]) => {
  const [major, minor] = version.split('.').map(Number) as [number, number];
  return { version: { major, minor }, date };
});

/** A cycle is nine or ten weeks; past the last release plus one, the table cannot say. */
const LONGEST_CYCLE_DAYS = 77;

export type DevelopmentVersion =
  | { readonly version: Version; readonly releasedOn?: string }
  | { readonly version: undefined; readonly why: string };

/**
 * The mainline version in development on `date` (YYYY-MM-DD): the first release tagged on or
 * after it, or the one after the last known release when the date is within a cycle of it.
 */
export function versionInDevelopmentOn(date: string): DevelopmentVersion {
  const first = RELEASES[0]!;
  if (date <= first.date) return { version: undefined, why: `${date} is before ${formatRelease(RELEASES[1]!)} was in development` };
  const release = RELEASES.find((r) => r.date >= date);
  if (release) return { version: release.version, releasedOn: release.date };
  const last = RELEASES.at(-1)!;
  if (daysBetween(last.date, date) <= LONGEST_CYCLE_DAYS) return { version: nextVersion(last.version) };
  return { version: undefined, why: `${date} is after the last release mmlens knows the date of (${formatRelease(last)})` };
}

/** After x.19 comes (x+1).0 (Torvalds' rule since 4.0). */
function nextVersion(version: Version): Version {
  return version.minor >= 19 ? { major: version.major + 1, minor: 0 } : { major: version.major, minor: version.minor + 1 };
}

function formatRelease(release: Release): string {
  return `${release.version.major}.${release.version.minor}`;
}

function daysBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}
