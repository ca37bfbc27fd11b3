// The layout file: parse and check `treemux.yaml`, and resolve it into concrete agents.
export { LayoutError, formatKeyPath } from './errors.js';
export { loadLayout, parseLayout } from './load.js';
export { PLACEHOLDER_KEYS, PLACEHOLDER_NAMES, expand, placeholdersIn } from './placeholders.js';
export {
  branchNameProblem,
  projectName,
  resolveAgent,
  resolveLayout,
  type RepoContext,
  type ResolvedAgent,
  type ResolvedLayout,
} from './resolve.js';
export * from './schema.js';
