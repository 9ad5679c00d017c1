// Baseline comparison: forbidden or data-losing updates, judged against the previous output.
import { SU001 } from './su001-statefulset-immutable-spec';
import { SU002 } from './su002-claim-immutable-spec';
import { SU003 } from './su003-workload-selector';
import { SU004 } from './su004-storage-class-immutable';
import { SU005 } from './su005-data-object-removed';
import { SU006 } from './su006-data-deletion-policy';
import { SU007 } from './su007-database-major-version';
import { GuardRule } from '../rule';

export { attachBaseline, baselineOf, BaselineDiff } from './baseline-diff';
export { readBaseline } from './baseline-files';

/** The rules that compare with the previous output (silent in a run without one). */
export const BASELINE_RULES: GuardRule[] = [SU001, SU002, SU003, SU004, SU005, SU006, SU007];
