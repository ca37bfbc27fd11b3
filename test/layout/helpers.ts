import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { LayoutError, parseLayout } from '../../src/layout/index.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** The LayoutError parseLayout throws for `text` (shown as treemux.yaml). */
export function layoutError(text: string, file = 'treemux.yaml'): LayoutError {
  try {
    parseLayout(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(LayoutError);
    return e as LayoutError;
  }
  throw new Error('expected a LayoutError, but the layout parsed');
}

export function messageOf(text: string): string {
  return layoutError(text).message;
}
