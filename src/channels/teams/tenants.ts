/**
 * Which Entra ID tenant a Teams activity comes from, and whether Steward serves it. A valid Bot
 * Framework token proves the activity came through Microsoft's channel to this bot, not from
 * which organisation: a multi-tenant bot can be installed by anyone. Without this check a user
 * of another tenant whose member record shows a registered person's email would be answered as
 * that person and linked to them for good. Refused activities are stopped before any member
 * lookup, identity read or record write.
 */
import { z } from 'zod';

const activityTenant = z.object({
  channelData: z.object({ tenant: z.object({ id: z.string() }).partial().optional() }).partial().optional().catch(undefined),
  conversation: z.object({ tenantId: z.string().optional() }).partial().optional().catch(undefined),
});

/**
 * The tenant id Teams puts on the activity (channelData.tenant.id, else conversation.tenantId),
 * lower-cased. When both are present and differ the activity is not believed (undefined).
 */
export function tenantOf(activity: unknown): string | undefined {
  const parsed = activityTenant.safeParse(activity);
  if (!parsed.success) return undefined;
  const fromChannelData = parsed.data.channelData?.tenant?.id?.trim().toLowerCase();
  const fromConversation = parsed.data.conversation?.tenantId?.trim().toLowerCase();
  if (fromChannelData && fromConversation && fromChannelData !== fromConversation) return undefined;
  return fromChannelData || fromConversation || undefined;
}

/** True when the list is absent (development: any tenant) or names the tenant. A missing tenant is refused. */
export function tenantAllowed(allowed: readonly string[] | undefined, tenant: string | undefined): boolean {
  if (!allowed) return true;
  return tenant !== undefined && allowed.includes(tenant);
}
