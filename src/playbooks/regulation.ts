/** Which EU AI Act application date is in force, per the regulation playbook's setting. */
export { dateInForce as applicationDate } from '../domain/obligations/dates';
