// Errors thrown by treemux's git module. Every message is one line, fit to print as the reason a
// command failed.

export class GitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotARepoError extends GitError {
  constructor(readonly cwd: string) {
    super(`not inside a git repository: ${cwd}`);
  }
}

export class BaseMissingError extends GitError {
  constructor(readonly base: string, branches: string[]) {
    const shown = branches.length > 10 ? [...branches.slice(0, 10), '…'] : branches;
    super(`base branch "${base}" does not exist (branches: ${shown.join(', ') || 'none'})`);
  }
}

export class BranchCheckedOutError extends GitError {
  constructor(readonly branch: string, readonly path: string) {
    super(`branch ${branch} is already checked out at ${path}`);
  }
}

export class PathExistsError extends GitError {
  constructor(readonly path: string) {
    super(`${path} already exists and is not this agent's worktree`);
  }
}
