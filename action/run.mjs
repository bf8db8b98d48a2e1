#!/usr/bin/env node
/**
 * The step of the GitHub Action (action.yml): turns the action's inputs (INPUT_* variables) into
 * one run of the sse-conformance command, appends its summary.md to $GITHUB_STEP_SUMMARY, writes
 * the outputs passed, failed, warned, skipped and report-dir to $GITHUB_OUTPUT, and exits with the
 * command's own exit code, so the step fails exactly when the command does.
 *
 * Request headers come from INPUT_HEADERS, one "Name: value" per line (a secret, typically). Each
 * value is registered with the runner's `::add-mask::` command before anything runs, and replaced
 * by *** in everything this step prints or writes to the summary and outputs.
 *
 * Plain JavaScript with no dependency, so it runs before and without any build. The command it
 * runs is SSE_CONFORMANCE_CLI (default: the compiled CLI beside this folder).
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const MODES = ['run', 'probe', 'embedded'];
const REPORT_KINDS = ['spec', 'console', 'json', 'junit', 'md', 'html'];

class InputError extends Error {}

const input = (name) => (process.env[`INPUT_${name.toUpperCase()}`] ?? '').trim();

/** Splits `args` like a shell does for words and quotes ('…', "…"); nothing is expanded. */
export function splitArgs(text) {
  const words = [];
  let word = null;
  let quote = null;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null;
      else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      word ??= '';
    } else if (/\s/.test(ch)) {
      if (word !== null) words.push(word);
      word = null;
    } else word = (word ?? '') + ch;
  }
  if (quote) throw new InputError(`args: unterminated ${quote} quote`);
  if (word !== null) words.push(word);
  return words;
}

/** "Name: value" lines; blank lines and lines starting with # are ignored. */
export function parseHeaders(text) {
  const headers = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    // The line itself is never shown: it may hold the secret.
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new InputError(`headers: a line is not "Name: value" (line ${headers.length + 1} of the input)`);
    headers.push({ name, value: line.slice(colon + 1).trim() });
  }
  return headers;
}

/** Every form in which a secret can appear in the command's output (as is, shell-quoted, in a markdown cell). */
function redactor(secrets) {
  const forms = [...new Set(secrets.filter((s) => s.length > 0).flatMap((s) => [s, s.replaceAll("'", `'\\''`), s.replaceAll('|', '\\|')]))];
  forms.sort((a, b) => b.length - a.length);
  return (text) => forms.reduce((out, form) => out.split(form).join('***'), text);
}

/** The command line for the inputs: [args for the CLI, the report folder]. */
export function commandLine() {
  const mode = input('mode') || 'run';
  if (!MODES.includes(mode)) throw new InputError(`mode must be one of ${MODES.join(', ')}, not ${JSON.stringify(mode)}`);
  const url = input('url');
  const args = [];
  if (mode === 'embedded') {
    if (url) throw new InputError('mode embedded runs against the embedded reference server: leave url empty');
  } else {
    if (!url) throw new InputError(`mode ${mode} needs the url input`);
    args.push(mode, url);
  }
  // json and md are always written: the outputs and the step summary are read from them.
  const reports = (input('reports') || 'junit,md,json,html').split(',').map((r) => r.trim()).filter(Boolean);
  for (const kind of reports) if (!REPORT_KINDS.includes(kind)) throw new InputError(`reports: unknown kind ${JSON.stringify(kind)} (use ${REPORT_KINDS.join(', ')})`);
  const out = resolve(input('out') || 'reports');
  args.push('--report', [...new Set([...reports, 'json', 'md'])].join(','), '--out', out);
  const strict = input('strict');
  if (strict !== '' && strict !== 'true' && strict !== 'false') throw new InputError(`strict must be true or false, not ${JSON.stringify(strict)}`);
  if (strict === 'true') args.push('--strict');
  if (input('baseline')) args.push('--baseline', input('baseline'));
  args.push(...splitArgs(input('args')));
  return { args, out };
}

function appendTo(variable, text) {
  const path = process.env[variable];
  if (path) appendFileSync(path, text);
}

/** Runs the CLI with its output passed through the redactor; resolves with its exit code. */
function runCli(cli, args, redact) {
  return new Promise((done) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    for (const [from, to] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ]) {
      // Whole lines only, so a secret split across two chunks is still found.
      let pending = '';
      from.setEncoding('utf8');
      from.on('data', (text) => {
        const lines = (pending + text).split('\n');
        pending = lines.pop();
        if (lines.length > 0) to.write(redact(lines.join('\n') + '\n'));
      });
      from.on('end', () => pending && to.write(redact(pending)));
    }
    child.on('error', (error) => {
      process.stderr.write(`error: cannot start ${cli}: ${error.message}\n`);
      done(2);
    });
    child.on('close', (code, signal) => done(code ?? (signal ? 2 : 0)));
  });
}

export async function main() {
  const cli = process.env.SSE_CONFORMANCE_CLI || join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bin', 'sse-conformance.js');
  let headers;
  let plan;
  try {
    headers = parseHeaders(process.env.INPUT_HEADERS ?? '');
    // Registered first, so the runner hides every value from the log whatever happens next.
    for (const { value } of headers) if (value) process.stdout.write(`::add-mask::${value}\n`);
    plan = commandLine();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    process.stderr.write(`::error::sse-conformance: ${error.message}\n`);
    return 2;
  }
  const redact = redactor(headers.map((h) => h.value));
  const args = [...plan.args, ...headers.flatMap((h) => ['--header', `${h.name}: ${h.value}`])];
  // A report left by an earlier run must not be read as this run's.
  for (const name of ['results.json', 'summary.md']) rmSync(join(plan.out, name), { force: true });
  const code = await runCli(cli, args, redact);

  appendTo('GITHUB_OUTPUT', `report-dir=${plan.out}\n`);
  const results = join(plan.out, 'results.json');
  if (existsSync(results)) {
    const { summary } = JSON.parse(readFileSync(results, 'utf8'));
    for (const key of ['passed', 'failed', 'warned', 'skipped']) appendTo('GITHUB_OUTPUT', `${key}=${Number(summary[key])}\n`);
  }
  const summaryMd = join(plan.out, 'summary.md');
  if (existsSync(summaryMd)) appendTo('GITHUB_STEP_SUMMARY', redact(readFileSync(summaryMd, 'utf8')) + '\n');
  else appendTo('GITHUB_STEP_SUMMARY', `## sse-conformance exited ${code} without a report\n\nSee the step's log for the reason.\n`);
  return code;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
