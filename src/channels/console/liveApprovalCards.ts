/**
 * The console's inbox is the outbox record, whose card was drawn when the message was queued.
 * An approval changes after that (other approvers vote, it is decided), so an approval's card is
 * drawn again, for the inbox's owner, whenever the inbox is read: an approver who has not voted
 * keeps the buttons and sees the current progress; one who has voted, or anyone once decided,
 * gets none. Wraps the two reads the notifications feed makes; everything else is untouched.
 */
import { loadApprovalView, type ApprovalView } from '../../conversation/approvalView';
import type { DeliveryRepository, DomainContext } from '../../domain/ports';

type Inbox = Pick<DeliveryRepository, 'listForPerson' | 'inboxSince'>;

const APPROVAL_KEY = /^approval\.(?:requested|decided):(APR-\d+):/;

type Message = { key: string; card: unknown; to: unknown };

/** Redraws the approval cards among `items` for `personOf(item)`; one read per approval. */
async function redraw<T extends Message>(ctx: Pick<DomainContext, 'repos' | 'policy' | 'clock'>, items: T[], personOf: (item: T) => string | undefined): Promise<T[]> {
  const views = new Map<string, Promise<ApprovalView | undefined>>();
  const viewOf = (key: string) => {
    if (!views.has(key)) views.set(key, ctx.repos.approvals.get(key).then((a) => (a ? loadApprovalView(ctx, a) : undefined)));
    return views.get(key)!;
  };
  return Promise.all(
    items.map(async (item) => {
      const approvalKey = APPROVAL_KEY.exec(item.key)?.[1];
      const viewerId = personOf(item);
      if (!approvalKey || !viewerId) return item;
      const view = await viewOf(approvalKey);
      return view ? { ...item, card: view({ viewerId }) } : item;
    }),
  );
}

export function liveApprovalCards<D extends Inbox>(ctx: Pick<DomainContext, 'repos' | 'policy' | 'clock'>, deliveries: D): D & Inbox {
  return Object.assign(Object.create(deliveries) as D, {
    listForPerson: async (personId: string, since?: Date) => redraw(ctx, await deliveries.listForPerson(personId, since), () => personId),
    inboxSince: async (personIds: string[], since: Date, limit?: number) => redraw(ctx, await deliveries.inboxSince(personIds, since, limit), (m) => m.toPersonId),
  });
}
