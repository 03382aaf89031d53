export { parseCommand, isParseFailure, closestCommand } from './parseCommand';
export type { ParseOptions } from './parseCommand';
export { COMMAND_CATALOGUE, catalogueEntry } from './catalogue';
export type { CommandEntry } from './catalogue';
export { COMMAND_NAMES, commandSchema, listFilterSchema } from './schema';
export type { CommandName, CommandOf, ListFilter, ParsedCommand, ParseFailure } from './schema';
export { normaliseWord, keyFrom, severityFrom, areaFrom, STAGE_ALIASES, TIER_ALIASES, DATA_CLASS_ALIASES, AREA_ALIASES } from './aliases';
export { roleFrom, emailFrom, slackUserFrom, ROLE_ALIASES } from './aliases';
export type { AreaChoice, RoleChoice } from './aliases';
