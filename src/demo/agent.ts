// The stand-in agent of `treemux demo`: it behaves like a coding agent on the demo shop, so that a
// new user sees treemux at work without an API key: it reads, plans, asks a question now and then,
// edits the files of its task, runs the tests, commits, and then answers lines typed into it (a line
// that asks it to merge a branch in makes it merge and resolve the conflict, then commit).
import { runSync } from '../host/exec.js';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';

const task = process.argv.slice(2).join(' ').trim() || '(no task)';
const name = process.env.TREEMUX_AGENT ?? 'agent';
/** 1: a person can follow it; tests make it faster */
const pace = Number(process.env.TREEMUX_DEMO_PACE ?? '1') || 1;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms * pace));
const out = (line = '') => process.stdout.write(`${line}\n`);
const step = async (line: string, ms = 700) => {
  await sleep(ms);
  out(line);
};

interface Script {
  plan: string[];
  question?: string;
  edits: Record<string, string>;
  commit: string;
  done: string;
}

const L = (...l: string[]) => `${l.join('\n')}\n`;

const SCRIPTS: Record<string, Script> = {
  cart: {
    plan: ['keep a table of codes: SAVE10 takes 10% off, HALF half', 'total(items, code) applies a known code, ignores others', 'tests for both codes and an unknown one'],
    edits: {
      'src/cart.js': L(
        '// The cart: what a list of items costs, with an optional discount code.',
        'const CODES = { SAVE10: 0.1, HALF: 0.5 };',
        '',
        'export function total(items, code) {',
        '  const sum = items.reduce((sum, item) => sum + item.price * item.qty, 0);',
        '  return code ? sum * (1 - (CODES[code] ?? 0)) : sum;',
        '}',
      ),
      'test/cart.test.js': L(
        "import { test } from 'node:test';",
        "import assert from 'node:assert/strict';",
        "import { total } from '../src/cart.js';",
        '',
        'const items = [{ price: 2, qty: 3 }, { price: 1, qty: 1 }];',
        "test('total adds price times quantity', () => assert.equal(total(items), 7));",
        "test('SAVE10 takes 10% off', () => assert.equal(total(items, 'SAVE10'), 6.3));",
        "test('HALF takes half off', () => assert.equal(total(items, 'HALF'), 3.5));",
        "test('an unknown code changes nothing', () => assert.equal(total(items, 'NOPE'), 7));",
      ),
    },
    commit: 'Discount codes in the cart total',
    done: "total(items, 'SAVE10') now takes 10% off; 4 tests pass.",
  },
  catalog: {
    plan: ['priceWithVat(name) in the catalog, 20% VAT', 'round the cart total to cents (prices with VAT have long fractions)', 'tests for both'],
    edits: {
      'src/catalog.js': L(
        '// The catalog: what the shop sells, with prices before and after VAT.',
        'export const products = [',
        "  { name: 'tea', price: 4.5 },",
        "  { name: 'mug', price: 12 },",
        "  { name: 'kettle', price: 39 },",
        '];',
        'const VAT = 0.2;',
        '',
        'export function find(name) {',
        '  return products.find((p) => p.name === name) ?? null;',
        '}',
        '',
        'export function priceWithVat(name) {',
        '  const product = find(name);',
        '  return product ? Math.round(product.price * (1 + VAT) * 100) / 100 : null;',
        '}',
      ),
      'src/cart.js': L(
        '// The cart: what a list of items costs, rounded to cents.',
        'export function total(items) {',
        '  return Math.round(items.reduce((sum, item) => sum + item.price * item.qty, 0) * 100) / 100;',
        '}',
      ),
      'test/catalog.test.js': L(
        "import { test } from 'node:test';",
        "import assert from 'node:assert/strict';",
        "import { priceWithVat } from '../src/catalog.js';",
        "import { total } from '../src/cart.js';",
        '',
        "test('tea costs 5.40 with VAT', () => assert.equal(priceWithVat('tea'), 5.4));",
        "test('an unknown product has no price', () => assert.equal(priceWithVat('cake'), null));",
        "test('the cart total is rounded to cents', () => assert.equal(total([{ price: 0.1, qty: 3 }]), 0.3));",
      ),
    },
    commit: 'Prices with VAT; the cart total rounded to cents',
    done: "priceWithVat('tea') is 5.40; the cart total is rounded to cents.",
  },
  auth: {
    plan: ['a user list with password hashes', 'login(user, password) checks the hash, in constant time', 'tests: the right password, a wrong one, an unknown user'],
    question: 'Hash the passwords with scrypt (node:crypto, no new dependency)?',
    edits: {
      'src/auth.js': L(
        '// Login: a user list with scrypt password hashes, compared in constant time.',
        "import { scryptSync, timingSafeEqual } from 'node:crypto';",
        '',
        "const SALT = 'shop-demo';",
        "const USERS = { ada: scryptSync('lovelace', SALT, 32) };",
        '',
        'export function login(user, password) {',
        '  const stored = USERS[user];',
        '  if (!stored || !password) return false;',
        '  return timingSafeEqual(stored, scryptSync(password, SALT, 32));',
        '}',
      ),
      'test/auth.test.js': L(
        "import { test } from 'node:test';",
        "import assert from 'node:assert/strict';",
        "import { login } from '../src/auth.js';",
        '',
        "test('the right password logs in', () => assert.equal(login('ada', 'lovelace'), true));",
        "test('a wrong password does not', () => assert.equal(login('ada', 'babbage'), false));",
        "test('an unknown user does not', () => assert.equal(login('bob', 'lovelace'), false));",
      ),
    },
    commit: 'Password check against a user list (scrypt)',
    done: "login('ada', 'lovelace') works, a wrong password does not; 3 tests pass.",
  },
};

/** How this agent resolves a conflict in a file it knows: both sides' changes, together. */
const RESOLUTIONS: Record<string, Record<string, string>> = {
  catalog: {
    'src/cart.js': L(
      '// The cart: what a list of items costs, with an optional discount code, rounded to cents.',
      'const CODES = { SAVE10: 0.1, HALF: 0.5 };',
      '',
      'export function total(items, code) {',
      '  const sum = items.reduce((sum, item) => sum + item.price * item.qty, 0);',
      '  const paid = code ? sum * (1 - (CODES[code] ?? 0)) : sum;',
      '  return Math.round(paid * 100) / 100;',
      '}',
    ),
  },
};

/** An agent added later (the dashboard's `n`): it writes its task down as notes. */
function genericScript(): Script {
  return {
    plan: [`understand: ${task}`, `write down the approach in notes/${name}.md`, 'commit it'],
    edits: { [`notes/${name}.md`]: L(`# ${name}`, '', task, '', '(written by the treemux demo agent, which only pretends to work)') },
    commit: `Notes for: ${task.slice(0, 60)}`,
    done: `notes/${name}.md written and committed.`,
  };
}

function git(args: string[]): string {
  return runSync('git', args);
}

function tryGit(args: string[]): { ok: boolean; out: string } {
  try {
    return { ok: true, out: git(args) };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return { ok: false, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

function countLines(text: string): number {
  return text === '' ? 0 : text.replace(/\n$/, '').split('\n').length;
}

async function edit(file: string, content: string): Promise<void> {
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
  const b = new Set(before.split('\n'));
  const a = new Set(content.split('\n'));
  const added = content.split('\n').filter((l) => !b.has(l)).length;
  const removed = before.split('\n').filter((l) => !a.has(l)).length;
  await step(`  ⎿ ${before ? 'Edited' : 'Wrote'} ${file} (+${added} −${removed})`, 600);
}

async function runTests(): Promise<boolean> {
  await step('● Running the tests: node --test', 500);
  try {
    const text = runSync(process.execPath, ['--test']);
    const passed = /# pass (\d+)/.exec(text)?.[1] ?? '?';
    await step(`  ⎿ ${passed} passed`, 300);
    return true;
  } catch (err) {
    const text = String((err as { stdout?: string }).stdout ?? '');
    await step(`  ⎿ failed: ${/# fail (\d+)/.exec(text)?.[1] ?? '?'} test(s)`, 300);
    return false;
  }
}

async function commit(message: string): Promise<void> {
  git(['add', '-A']);
  const r = tryGit(['commit', '-q', '-m', message]);
  if (!r.ok) return step(`  ⎿ nothing to commit`, 300);
  await step(`  ⎿ Committed ${git(['rev-parse', '--short', 'HEAD']).trim()} ${message}`, 400);
}

async function work(script: Script, ask: (q: string) => Promise<string>): Promise<void> {
  await step('● Reading the code', 600);
  for (const file of ['src/cart.js', 'src/catalog.js', 'src/auth.js']) {
    if (existsSync(file)) await step(`  ⎿ Read ${file} (${countLines(readFileSync(file, 'utf8'))} lines)`, 300);
  }
  await step('● Plan', 800);
  for (const [i, p] of script.plan.entries()) await step(`  ${i + 1}. ${p}`, 250);
  if (script.question) {
    await sleep(600);
    const answer = (await ask(`? ${script.question} [y/N] `)).trim().toLowerCase();
    out(`  ⎿ ${answer.startsWith('y') ? 'scrypt it is' : 'going ahead with scrypt anyway (it is the safe choice)'}`);
  }
  await step('● Editing', 500);
  for (const [file, content] of Object.entries(script.edits)) await edit(file, content);
  await runTests();
  await commit(script.commit);
  await step(`Done: ${script.done}`, 400);
}

/** "Merge main into your branch…": merge it, resolve what it knows, test and commit. */
async function mergeIn(ref: string): Promise<void> {
  await step(`● Merging ${ref} into my branch`, 500);
  const r = tryGit(['merge', '--no-edit', '--end-of-options', ref]);
  if (r.ok) {
    await step(`  ⎿ ${/Already up to date/.test(r.out) ? 'already up to date' : 'merged cleanly'}`, 300);
    return;
  }
  const conflicts = tryGit(['diff', '--name-only', '--diff-filter=U']).out.split('\n').filter(Boolean);
  if (conflicts.length === 0) {
    await step(`  ⎿ git merge failed: ${r.out.trim().split('\n').pop() ?? ''}`, 300);
    return;
  }
  for (const file of conflicts) {
    const known = RESOLUTIONS[name]?.[file];
    await step(`  ⎿ Conflict in ${file}: ${known ? 'keeping both changes' : 'keeping mine (I do not know theirs well enough)'}`, 700);
    if (known) writeFileSync(file, known);
    else tryGit(['checkout', '--ours', '--', file]);
  }
  git(['add', '-A']);
  if (await runTests()) {
    tryGit(['commit', '-q', '--no-edit']);
    await step(`  ⎿ Committed the merge ${git(['rev-parse', '--short', 'HEAD']).trim()}`, 300);
    await step(`Done: ${ref} is merged into my branch, conflicts resolved, tests pass.`, 300);
  } else {
    tryGit(['merge', '--abort']);
    await step('The tests fail after the merge: I undid it. Tell me how to resolve it.', 300);
  }
}

async function main(): Promise<void> {
  out(`treemux demo agent · ${name} (a stand-in: it pretends, quickly, what a coding agent does)`);
  out(`task: ${task}`);
  const env = ['PORT', 'DATABASE_URL'].filter((k) => process.env[k]).map((k) => `${k}=${process.env[k]}`);
  if (env.length) out(`its own environment (.env): ${env.join(' · ')}`);
  // no terminal handling: readline would redraw its own prompt over the question when the pane is
  // resized; the terminal echoes what is typed (cooked mode), as for any line-reading program
  const rl = createInterface({ input: process.stdin, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const ask = async (question: string): Promise<string> => {
    process.stdout.write(question);
    const next = await lines.next();
    return next.done ? '' : String(next.value);
  };
  await work(SCRIPTS[name] ?? genericScript(), ask);
  for (;;) {
    const line = (await ask('> ')).trim();
    if (line === 'exit') break;
    if (!line) continue;
    // a branch name, never an option for git
    const merge = /\bmerge\s+(?:the\s+)?(\w[\w./-]*)\s+into\b/i.exec(line);
    if (merge) await mergeIn(merge[1]!);
    else {
      await step(`● ${line}`, 300);
      await step('  ⎿ Thinking…', 900);
      await step('Done. (The stand-in only pretends here; with Claude Code this is real work.)', 600);
    }
  }
  rl.close();
}

void main();
