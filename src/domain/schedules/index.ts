/** The scheduled domain operations (each called by one job in src/scheduler/jobs). */
export type { ScheduleContext, NoticeCard } from './context';
export { ensureReview, rescheduleReview, scheduleNextReview, isReviewed } from './ensureReview';
export { sweepReviews, reviewKey } from './sweepReviews';
export { sweepSeriousIncidents, art73Slot, art73Key } from './sweepSeriousIncidents';
export { sweepApprovals, approvalNudgeKey } from './sweepApprovals';
export { sweepStalled, findStalled, stalledKey } from './sweepStalled';
export { sendWeeklyDigest, digestFigures, digestKey } from './weeklyDigest';
export { reminderSlot, escalationSlots, nextReviewDueAt, cadenceFor } from './reviewPlan';
export { isoWeek, addDays, DAY_MS, formatUtc } from './dates';
