/**
 * What a person is told when something unexpected failed (the database went away mid-way, a
 * bug): the change may or may not have been stored, so never "nothing was changed". Where the
 * interaction names a record, the reply names the command that shows whether it was.
 */
import { keysIn } from './safe';

const CHECK: Record<string, (key: string) => string> = {
  UC: (k) => `show ${k}`,
  APR: () => 'approvals',
  INC: (k) => `incident ${k}`,
};

export function uncertainOutcomeText(...texts: Array<string | undefined>): string {
  const checks = keysIn(...texts)
    .slice(0, 3)
    .map((k) => `\`${CHECK[k.split('-')[0]!]?.(k) ?? `show ${k}`}\``)
    .filter((c, i, all) => all.indexOf(c) === i);
  const how = checks.length ? `check with ${checks.join(', ')}` : 'check the record (for example `my`, `approvals` or `incidents`)';
  return `Something went wrong on our side before the result could be confirmed. If you were changing something, it may have been saved: ${how} before trying again. The problem was logged.`;
}
