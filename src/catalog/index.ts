/** The framework catalogue: shipped data and lookups. */
export { catalogue } from './data';
export type * from './data';
export { FRAMEWORKS, FRAMEWORK_NAMES, frameworkTitle, isKnownFrameworkId, resolveFrameworkId } from './resolve';
export type { FrameworkKind, ResolvedFrameworkId } from './resolve';
