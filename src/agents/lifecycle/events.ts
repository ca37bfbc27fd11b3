// What `up` tells as it goes: typed progress events, for the CLI's lines (printTo) or a UI.
import type { Output } from '../../util/output.js';
import type { Step } from './plan.js';

export type UpEvent =
  /** apply begins the agent's steps */
  | { type: 'agent-started'; agent: string }
  /** a line of progress from one of its steps (the line as printed, agent name included) */
  | { type: 'step'; agent: string; step: Step['type']; level: 'info' | 'warn'; line: string }
  /** all its steps ran; `started`: a program was started in its window */
  | { type: 'agent-up'; agent: string; started: boolean }
  /** it did not come up (`undone`: what was made for it was taken away again) */
  | { type: 'agent-failed'; agent: string; reason: string; undone: boolean };

export type OnEvent = (event: UpEvent) => void;

/** The CLI's lines: what each step says, and one warning per agent that failed. */
export function printTo(out: Output): OnEvent {
  return (e) => {
    if (e.type === 'step') {
      if (e.level === 'warn') out.warn(e.line);
      else out.info(e.line);
    } else if (e.type === 'agent-failed') out.warn(`${e.agent}: ${e.reason}${e.undone ? ' (undone)' : ''}`);
  };
}
