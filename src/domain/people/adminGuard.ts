/**
 * "The last AI CoE admin keeps the role" spans records (every admin), so one person's versions
 * cannot decide it: two admins removing each other at the same moment would each see the other
 * stay. A removal therefore holds two claims (unique inserts) until its version is written: one
 * on the person losing the role and one pinning another admin who stays, both named after the
 * version read (`person.admin:<id>#<rev>`). Two removals that would rely on each other collide on
 * a claim and retry; a pin counts only if that admin's newest version is still the one pinned
 * after the claim (a pin on a replaced version guards nothing). A claim left by a process that
 * died names one version, so it is outlived by the person's next change.
 */
import { ForbiddenError } from '../errors';
import type { DomainContext } from '../ports';
import type { Person } from '../types';
import { ADMIN_ROLE, hasRole } from './actor';

/** Another admin change holds a claim this one needs: retry shortly. */
export class AdminsBusy extends Error {
  constructor() {
    super('another change to the AI CoE admins is under way');
    this.name = 'AdminsBusy';
  }
}

const adminClaim = (p: Person): string => `person.admin:${p.id}#${p.rev ?? 0}`;

export class AdminGuard {
  private readonly held: string[] = [];
  constructor(private readonly ctx: DomainContext) {}

  /**
   * Holds `person` (at the version read) for losing the role and pins another admin who keeps it.
   * ForbiddenError when nobody else is admin; AdminsBusy when others are but none could be pinned.
   */
  async keepAnotherAdmin(person: Person): Promise<void> {
    const people = this.ctx.repos.people;
    if (!(await this.hold(adminClaim(person), person.id))) throw new AdminsBusy();
    let others = 0;
    for (const listed of await people.findByRole(ADMIN_ROLE)) {
      if (listed.id === person.id) continue;
      const admin = await people.findById(listed.id);
      if (!admin || !hasRole(admin, ADMIN_ROLE)) continue;
      others++;
      if (!(await this.hold(adminClaim(admin), person.id))) continue;
      const now = await people.findById(admin.id);
      if (now && now.rev === admin.rev && hasRole(now, ADMIN_ROLE)) return;
    }
    if (!others) throw new ForbiddenError('person.last_admin', 'This is the last AI CoE admin; make someone else admin first.');
    throw new AdminsBusy();
  }

  private async hold(key: string, forPersonId: string): Promise<boolean> {
    if (this.held.includes(key)) return true;
    if (!(await this.ctx.repos.claims.claim(key, { removing: forPersonId }))) return false;
    this.held.push(key);
    return true;
  }

  /** Releases every claim held; call once the version is written (or refused). */
  async release(): Promise<void> {
    const keys = this.held.splice(0);
    await Promise.all(keys.map((k) => this.ctx.repos.claims.release(k)));
  }
}
