// Claude Code's command line: print mode for headless runs, resuming a conversation, and whether
// the arguments leave it asking for permission.
import { isSessionId } from './ids.js';

/** Claude Code's print mode with its events on stdout: what `mode: headless` adds for a Claude agent. */
export const PRINT_MODE = ['-p', '--output-format', 'stream-json', '--verbose'] as const;

/** The layout's args with print mode made sure of (a different --output-format is replaced). */
export function printModeArgs(args: readonly string[]): string[] {
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-p' || a === '--print' || a === '--verbose') continue;
    if (a === '--output-format') {
      i += 1;
      continue;
    }
    if (a.startsWith('--output-format=')) continue;
    rest.push(a);
  }
  return [...PRINT_MODE, ...rest];
}

/**
 * Claude Code's arguments to continue a conversation instead of starting one with the task:
 * `--resume ID`, the form every version and wrapper parses; the id is a UUID (checked), so it can
 * never be read as another option. None for a value that is not a session id (whatever wrote it).
 */
export function resumeArgs(sessionId: string | undefined): string[] | undefined {
  return isSessionId(sessionId) ? ['--resume', sessionId] : undefined;
}

/** Arguments that let a headless Claude use tools without asking (asking is denied in print mode). */
const PERMISSION_FLAGS = ['--allowedTools', '--allowed-tools', '--dangerously-skip-permissions', '--permission-prompt-tool'];

/** Do these Claude arguments leave it in the default permission mode with nothing allowed? */
export function leavesDefaultPermissions(args: readonly string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (PERMISSION_FLAGS.some((f) => a === f || a.startsWith(`${f}=`))) return false;
    if (a === '--permission-mode') return (args[i + 1] ?? 'default') === 'default';
    if (a.startsWith('--permission-mode=')) return a.slice('--permission-mode='.length) === 'default';
  }
  return true;
}
