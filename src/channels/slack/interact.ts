/**
 * The Slack side of what every listener shares (the transport-free side is
 * conversation/handlers/safe.ts): the unknown-user text. (Approval copies are kept right by
 * ./approvalCopies.ts.)
 */
import { unknownUserText } from '../../conversation/handlers/safe';

/** Slack maps a person by the email of their Slack profile (users.info). */
export const UNKNOWN_USER_TEXT = unknownUserText('Slack profile');
