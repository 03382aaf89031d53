/** The two one-purpose forms: a reason to reject, and the attestation that a review was done. */
import { REJECT_FORM_ID, REVIEW_DONE_FORM_ID } from '../../actions';
import type { Card } from '../model';

export const REJECT_INPUTS = { reason: 'reason' } as const;
export const REVIEW_DONE_INPUTS = { attestation: 'attestation', evidenceUrl: 'evidence_url', notes: 'notes' } as const;

export function rejectFormCard(approvalKey: string): Card {
  return {
    title: `Reject ${approvalKey}`,
    text: 'The requester sees your reason. Say what would change your mind.',
    form: {
      id: REJECT_FORM_ID,
      submitLabel: 'Reject',
      inputs: [{ id: REJECT_INPUTS.reason, kind: 'multiline', label: 'Reason', required: true, maxLength: 2000 }],
      hidden: { approvalKey },
    },
  };
}

export function reviewDoneFormCard(useCaseKey: string, options: { frameworks?: readonly string[] } = {}): Card {
  return {
    title: `Review of ${useCaseKey}`,
    ...(options.frameworks?.length ? { text: `This review covers: ${options.frameworks.join(', ')}.` } : {}),
    form: {
      id: REVIEW_DONE_FORM_ID,
      submitLabel: 'Record',
      inputs: [
        { id: REVIEW_DONE_INPUTS.evidenceUrl, kind: 'text', label: 'Link to the evidence', required: true, placeholder: 'https://…', maxLength: 2000 },
        { id: REVIEW_DONE_INPUTS.notes, kind: 'multiline', label: 'Notes', required: false, maxLength: 2000 },
        { id: REVIEW_DONE_INPUTS.attestation, kind: 'checkbox', label: 'I attest that this review was carried out and the evidence is complete', required: true },
      ],
      hidden: { useCaseKey },
    },
  };
}
