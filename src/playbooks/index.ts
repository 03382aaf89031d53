/** Playbooks as code: load and validate playbooks/*.yaml into the typed Policy. */
export { defaultPlaybooksDir, defaultPolicy, loadPolicy } from './loadPolicy';
export type { LoadPolicyOptions } from './loadPolicy';
export { PLAYBOOK_INVALID, PlaybookError, formatPath } from './errors';
export type { PlaybookProblem } from './errors';
export { applicationDate } from './regulation';
