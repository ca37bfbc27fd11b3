// The throwaway repository `treemux demo` makes: a tiny shop app with tests and a three-agent layout.
export const DEMO_FILES: Record<string, string> = {
  '.gitignore': 'node_modules\n.env\n',
  'package.json': `${JSON.stringify({ name: 'shop', version: '1.0.0', type: 'module', scripts: { test: 'node --test test/' } }, null, 2)}\n`,
  'README.md': '# shop\n\nA tiny demo app made by `treemux demo`.\n',
  'src/cart.js': [
    'export function total(items) {',
    '  return items.reduce((sum, item) => sum + item.price * item.qty, 0);',
    '}',
    '',
  ].join('\n'),
  'src/auth.js': ['export function login(user, password) {', '  return Boolean(user && password);', '}', ''].join('\n'),
  'test/cart.test.js': [
    "import { test } from 'node:test';",
    "import assert from 'node:assert/strict';",
    "import { total } from '../src/cart.js';",
    '',
    "test('total adds price times quantity', () => {",
    '  assert.equal(total([{ price: 2, qty: 3 }, { price: 1, qty: 1 }]), 7);',
    '});',
    '',
  ].join('\n'),
};

export function demoLayout(command: string, args: string[]): string {
  const agentLine = args.length
    ? `agent:\n  command: ${JSON.stringify(command)}\n  args: ${JSON.stringify(args)}\n`
    : `agent:\n  command: ${JSON.stringify(command)}\n`;
  return `# A three-agent layout made by \`treemux demo\`. See docs/layout.md for every key.
version: 1
project: shop
${agentLine}merge: { test: "npm test" }
agents:
  - name: cart
    task: Add a discount code to the cart total, with tests.
    scope: ["src/cart.js", "test/cart*.js"]
    done: ["npm test passes"]
  - name: auth
    task: Replace the fake login with a password check against a user list, with tests.
    scope: ["src/auth.js", "test/auth*.js"]
    avoid: ["src/cart.js"]
  - name: docs
    task: Write a README section on how to run and test the app.
    scope: ["README.md"]
`;
}
