// The throwaway repository `treemux demo` makes: a tiny shop app with tests, a seed SQLite database,
// an .env, and a layout with three agents that shows what treemux does (a port, a database and an
// env file per agent, the sidebar), two of which change the same lines so that `conflicts` predicts
// it and `merge` stops there cleanly.
import { gunzipSync } from 'node:zlib';

const lines = (...l: string[]) => `${l.join('\n')}\n`;

export const DEMO_FILES: Record<string, string> = {
  '.gitignore': lines('node_modules', '.env', 'db/*.sqlite'),
  'package.json': `${JSON.stringify({ name: 'shop', version: '1.0.0', type: 'module', scripts: { test: 'node --test' } }, null, 2)}\n`,
  'README.md': lines('# shop', '', 'A tiny demo app made by `treemux demo`: a cart, a catalog and a login. `npm test` runs its tests.'),
  'src/cart.js': lines(
    '// The cart: what a list of items costs.',
    'export function total(items) {',
    '  return items.reduce((sum, item) => sum + item.price * item.qty, 0);',
    '}',
  ),
  'src/catalog.js': lines(
    '// The catalog: what the shop sells.',
    'export const products = [',
    "  { name: 'tea', price: 4.5 },",
    "  { name: 'mug', price: 12 },",
    "  { name: 'kettle', price: 39 },",
    '];',
    '',
    'export function find(name) {',
    '  return products.find((p) => p.name === name) ?? null;',
    '}',
  ),
  'src/auth.js': lines(
    '// Login: for now anyone with a user name and a password gets in.',
    'export function login(user, password) {',
    '  return Boolean(user && password);',
    '}',
  ),
  'test/cart.test.js': lines(
    "import { test } from 'node:test';",
    "import assert from 'node:assert/strict';",
    "import { total } from '../src/cart.js';",
    '',
    "test('total adds price times quantity', () => {",
    '  assert.equal(total([{ price: 2, qty: 3 }, { price: 1, qty: 1 }]), 7);',
    '});',
  ),
};

/** The main checkout's .env (never committed): agents start from it, with their own port and database. */
export const DEMO_ENV = lines('# the shop\'s settings (each agent gets its own copy, with its own PORT and DATABASE_URL)', 'SHOP_SECRET=demo-secret-not-for-production', 'PORT=3000');

/** The seed database, db/shop.sqlite (products and users), gzipped: each agent gets its own copy. */
const SEED_GZ_BASE64 =
  'H4sICPP9D2sCA3Nob3Auc3FsaXRlAO2UwUoDMRCGJ8nWWrEIelh6KORoaSmIV4Wq9GRB1F5libtjWZrdbXcTaMVLfSKfwefwCUSh' +
  'F+/uRlqxIB6Fko9JJjNMwn/5c33ZCxXyuySNhOKH4AAh0OEcAEr5cuAbtlIT+JsStH1SZffA6BzYI52zC7BY/o0bWnZdl8xqStxK' +
  '1BmmmdnY2VX3pN/l/ZPTXpeb1n4Y8DBWOMCUj9IwEumUD3Ha4hiJUHKFE8V1HI418jhRPNZSNhpswz12CYRxgJNsLHNveUKrxNSe' +
  'edY7MKlw0mah6IGU3XqdzM6NolGaBNpX2SLTH7oW3V+lxSLCL2ULSa1iwEfPx1hly0tLwdXC2OwF2Ad7zZPFYlkTtpkDNTpEpSTu' +
  'HFWoA3s00gPnqUKKo0JBngv/E/YGeVgsljVmlzBoikB0cCKikcS2n0Rbxv/vkIfFYlnrD4A1Kyv+/wRt8/+AABAAAA==';

export function demoSeed(): Buffer {
  return gunzipSync(Buffer.from(SEED_GZ_BASE64, 'base64'));
}

export const DEMO_SEED_PATH = 'db/shop.sqlite';

export function demoLayout(command: string, args: string[], port: number): string {
  const agentLine = args.length
    ? `agent:\n  command: ${JSON.stringify(command)}\n  args: ${JSON.stringify(args)}\n`
    : `agent:\n  command: ${JSON.stringify(command)}\n`;
  return `# The layout \`treemux demo\` made. Every key: docs/layout.md in treemux.
version: 1
project: shop
${agentLine}ports: { web: ${port} }              # each agent gets its own free port, from ${port} up
database:                         # and its own copy of the seed database
  kind: sqlite
  path: ${DEMO_SEED_PATH}
  seed: ${DEMO_SEED_PATH}
env:                              # and its own .env: the main one, with its port and database
  file: .env
  copy: .env
  set:
    PORT: "{port.web}"
    DATABASE_URL: "{db.url}"
sidebar: true                     # the list at the left of every agent window
merge: { test: "node --test" }    # run after each merge by \`treemux merge\`
agents:
  - name: cart
    task: Add discount codes (SAVE10, HALF) to the cart total, with tests.
    scope: ["src/cart.js", "test/cart*.js"]
    done: ["node --test passes"]
  - name: catalog
    task: Show prices with VAT in the catalog, and round the cart total to cents.
    scope: ["src/catalog.js", "src/cart.js", "test/catalog*.js"]
  - name: auth
    task: Replace the fake login with a password check against a user list, with tests.
    scope: ["src/auth.js", "test/auth*.js"]
    avoid: ["src/cart.js"]
`;
}
