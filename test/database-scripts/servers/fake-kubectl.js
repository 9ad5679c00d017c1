#!/usr/bin/env node
/*
 * A fake kubectl for the snapshot-backup.sh tests. It records every call (arguments and stdin) and
 * keeps VolumeSnapshots in a JSON state file ($FAKE_KUBECTL_STATE):
 *   { snapshots: [{ name, namespace, labels, created, readyToUse, error }], calls: [...],
 *     onCreate: { readyToUse, error, pollsUntilReady }, failCreate: bool, failGet: bool, clock: number }
 * Supported: create -f - ; get volumesnapshots --selector --sort-by -o jsonpath=...; delete volumesnapshots.
 * Without --sort-by the listing comes in the state's (deliberately scrambled) order.
 */
'use strict';
const fs = require('fs');
const YAML = require('yaml');

const statePath = process.env.FAKE_KUBECTL_STATE;
if (!statePath) { process.stderr.write('fake kubectl: FAKE_KUBECTL_STATE is not set\n'); process.exit(2); }
const state = JSON.parse(fs.readFileSync(statePath, 'utf8'));
const args = process.argv.slice(2);
const stdin = args.includes('-') || args.includes('-f') ? fs.readFileSync(0, 'utf8') : '';
state.calls.push({ args, stdin });
const save = () => fs.writeFileSync(statePath, JSON.stringify(state, null, 2));

function opt(name, short) {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === name || (short && args[i] === short)) return args[i + 1];
    if (args[i].startsWith(name + '=')) return args[i].slice(name.length + 1);
  }
  return undefined;
}
const namespace = opt('--namespace', '-n') || 'default';

/** The VolumeSnapshot as the API server would list it. */
function toObject(s) {
  const status = {};
  if (s.readyToUse !== undefined) status.readyToUse = s.readyToUse;
  if (s.error) status.error = { message: s.error, time: s.created };
  return {
    apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot',
    metadata: { name: s.name, namespace: s.namespace, labels: s.labels, creationTimestamp: s.created },
    status,
  };
}

/**
 * The subset of kubectl's JSONPath the script may use: {range .items[*]}...{end}, {.a.b.c} (missing
 * keys print nothing, as kubectl's -o jsonpath does) and {"literal"} with \n and \t escapes.
 */
function jsonpath(template, root) {
  const tokens = [];
  const re = /\{([^{}]*)\}|([^{}]+)/g;
  let m;
  while ((m = re.exec(template)) !== null) tokens.push(m[1] !== undefined ? { expr: m[1].trim() } : { text: m[2] });
  const lookup = (obj, expr) => expr.split('.').filter(Boolean).reduce((o, k) => (o == null ? undefined : o[k]), obj);
  const render = (toks, ctx) => toks.map((t) => {
    if (t.text !== undefined) return t.text;
    if (t.expr.startsWith('"')) return JSON.parse(t.expr);
    if (!t.expr.startsWith('.')) throw new Error(`fake kubectl: unsupported jsonpath ${t.expr}`);
    const v = lookup(ctx, t.expr);
    return v === undefined || v === null ? '' : (typeof v === 'object' ? JSON.stringify(v) : String(v));
  }).join('');
  const start = tokens.findIndex((t) => t.expr && t.expr.startsWith('range '));
  if (start < 0) return render(tokens, root);
  const end = tokens.findIndex((t, i) => i > start && t.expr === 'end');
  if (end < 0) throw new Error('fake kubectl: {range} without {end}');
  const over = tokens[start].expr.slice('range '.length).replace(/\[\*\]$/, '');
  const body = tokens.slice(start + 1, end);
  return render(tokens.slice(0, start), root) + (lookup(root, over) || []).map((item) => render(body, item)).join('') + render(tokens.slice(end + 1), root);
}
const verb = args[0];

if (verb === 'create') {
  if (state.failCreate) { save(); process.stderr.write('Error from server (Forbidden): fake refusal\n'); process.exit(1); }
  const obj = YAML.parse(stdin);
  if (obj.kind !== 'VolumeSnapshot') { save(); process.stderr.write('fake kubectl: not a VolumeSnapshot\n'); process.exit(1); }
  if (state.snapshots.some((s) => s.name === obj.metadata.name && s.namespace === namespace)) {
    save(); process.stderr.write(`Error from server (AlreadyExists): ${obj.metadata.name}\n`); process.exit(1);
  }
  state.clock += 1;
  state.snapshots.push({
    name: obj.metadata.name, namespace, labels: obj.metadata.labels || {},
    created: new Date(Date.UTC(2030, 0, 1, 0, 0, state.clock)).toISOString().replace('.000', ''),
    readyToUse: state.onCreate.readyToUse, error: state.onCreate.error, pollsUntilReady: state.onCreate.pollsUntilReady,
  });
  save();
  process.stdout.write(`volumesnapshot.snapshot.storage.k8s.io/${obj.metadata.name} created\n`);
} else if (verb === 'get' && state.failGet) {
  save();
  process.stderr.write('Unable to connect to the server: dial tcp: i/o timeout\n');
  process.exit(1);
} else if (verb === 'get') {
  const selector = opt('--selector', '-l') || '';
  const wanted = selector.split(',').filter(Boolean).map((kv) => kv.split('='));
  let items = state.snapshots.filter((s) => s.namespace === namespace && wanted.every(([k, v]) => s.labels[k] === v));
  // a snapshot with pollsUntilReady turns ready after being listed that many times
  for (const s of items) {
    if (s.pollsUntilReady !== undefined && --s.pollsUntilReady <= 0) { s.readyToUse = true; delete s.pollsUntilReady; }
  }
  if (opt('--sort-by') === '.metadata.creationTimestamp') items = [...items].sort((a, b) => a.created.localeCompare(b.created));
  const out = opt('-o', '-o');
  if (!out || !out.startsWith('jsonpath=')) { save(); process.stderr.write('fake kubectl: expected -o jsonpath=...\n'); process.exit(1); }
  save();
  const list = { items: items.map(toObject) };
  process.stdout.write(jsonpath(out.slice('jsonpath='.length), list));
} else if (verb === 'delete') {
  const names = [];
  for (let i = 2; i < args.length; i++) {
    if (args[i] === '--namespace' || args[i] === '-n') i++;
    else if (!args[i].startsWith('-')) names.push(args[i]);
  }
  for (const n of names) {
    const i = state.snapshots.findIndex((s) => s.name === n && s.namespace === namespace);
    if (i >= 0) { state.snapshots.splice(i, 1); process.stdout.write(`volumesnapshot.snapshot.storage.k8s.io "${n}" deleted\n`); }
  }
  save();
} else {
  save();
  process.stderr.write(`fake kubectl: unsupported command ${args.join(' ')}\n`);
  process.exit(1);
}
