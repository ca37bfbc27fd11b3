// Moving commits between this repository and a clone on another host, over ssh (the ssh/ module
// gives the command git runs to get there: the host's one shared connection). Pushes and fetches name
// full refs on both sides, so nothing is guessed; a fetch never touches a checked-out branch here.
import { git } from './exec.js';

export interface Transport {
  /** git's URL for the clone there */
  url: string;
  /** GIT_SSH_COMMAND */
  sshCommand: string;
}

const env = (t: Transport) => ({ GIT_SSH_COMMAND: t.sshCommand });

/** Push COMMIT to REF there (forced: the ref is treemux's copy of a base, or a branch it brings back). */
export async function pushRef(root: string, t: Transport, commit: string, ref: string): Promise<void> {
  await git(root, ['push', '--quiet', '--force', '--no-verify', t.url, `${commit}:${ref}`], env(t));
}

/** Fetch REF from there into LOCAL here (forced: LOCAL follows the branch there). Returns its commit. */
export async function fetchRef(root: string, t: Transport, ref: string, local: string): Promise<string> {
  await git(root, ['fetch', '--quiet', '--no-tags', '--force', t.url, `${ref}:${local}`], env(t));
  return (await git(root, ['rev-parse', '--verify', '--quiet', `${local}^{commit}`])).trim();
}
