// treemux's git module: the only code that talks to git (argument arrays only, never a shell).
// It finds the repository, lists/adds/removes worktrees, judges whether work would be lost, saves
// that work to the trash, and keeps treemux's files out of `git status` via info/exclude.
export { GitError, NotARepoError, BaseMissingError, BranchCheckedOutError, PathExistsError } from './errors.js';
export type { Worktree } from './parse.js';
export type { TrashResult } from './trash.js';
export { openRepo, Repo, type WorkState } from './repo.js';
export { gitVersion } from './exec.js';
export { initRepoWithCommit } from './init.js';
export { listIgnoredPaths, listIgnoredFiles } from './ignored.js';
export { addDetachedWorktree, advanceBranch, aheadCount, branchHeads, branchFiles, checkoutChanges, filesBetween, resetScratch, committedFilesList, changedFilesList, commitOf, fastForward, mergeInto, predictMerge, type MergePrediction, type MergeStep } from './merge.js';
