/**
 * The GitHub Action: action.yml hands every input to action/run.mjs, and that step, run here as
 * a runner would run it (temporary GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files), writes the
 * outputs and the job summary, keeps header values out of everything it prints or writes, and
 * exits with the command's own exit code.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { startTargets, type Targets } from './targets.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STEP = join(ROOT, 'action', 'run.mjs');
// The development launcher: the same command as dist/bin/sse-conformance.js, from the sources.
const CLI = join(ROOT, 'bin', 'sse-conformance.js');
const SECRET = 'Bearer s3cr3t-value-7f3a|x';

interface Step {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  dir: string;
}

const dirs: string[] = [];
let targets: Targets;
before(async () => {
  targets = await startTargets();
});
after(async () => {
  await targets.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Runs the action's step with these inputs, in a fresh workspace, asynchronously (the servers live in this process). */
async function runStep(inputs: Record<string, string>): Promise<Step> {
  const dir = mkdtempSync(join(tmpdir(), 'sse-action-'));
  dirs.push(dir);
  const output = join(dir, 'github-output');
  const summary = join(dir, 'step-summary');
  writeFileSync(output, '');
  writeFileSync(summary, '# earlier steps\n');
  const env: NodeJS.ProcessEnv = { ...process.env, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, SSE_CONFORMANCE_CLI: CLI };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const ran = await promisify(execFile)(process.execPath, [STEP], { cwd: dir, env, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }).then(
    (ok) => ({ code: 0, ...ok }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
  const outputs = Object.fromEntries(
    readFileSync(output, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return { ...ran, outputs, summary: readFileSync(summary, 'utf8'), dir };
}

test('action.yml passes every input to the step and maps every output from it', () => {
  const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
    outputs: Record<string, { value: string }>;
    runs: { using: string; steps: Array<{ id?: string; run: string; env?: Record<string, string>; 'working-directory'?: string }> };
  };
  assert.equal(action.runs.using, 'composite');
  assert.deepEqual(Object.keys(action.inputs).sort(), ['args', 'baseline', 'headers', 'mode', 'out', 'reports', 'strict', 'url']);
  assert.equal(action.inputs.reports!.default, 'junit,md,json,html');
  const step = action.runs.steps.find((s) => s.id === 'run')!;
  assert.match(step.run, /action\/run\.mjs/);
  for (const name of Object.keys(action.inputs)) assert.equal(step.env?.[`INPUT_${name.toUpperCase()}`], `\${{ inputs.${name} }}`, name);
  // Inputs reach the step only through the environment, never spliced into the script.
  for (const s of action.runs.steps) assert.doesNotMatch(s.run, /\$\{\{/);
  for (const name of ['passed', 'failed', 'warned', 'skipped', 'report-dir']) assert.equal(action.outputs[name]?.value, `\${{ steps.run.outputs.${name} }}`, name);
  // The command of the same ref: built in the action's own folder before the step runs.
  const build = action.runs.steps[0]!;
  assert.equal(build['working-directory'], '${{ github.action_path }}');
  assert.match(build.run, /npm ci .*&& npm run build/);
});

test('a failing target: the step fails with the command, with outputs, reports and the summary', async () => {
  const step = await runStep({ mode: 'run', url: targets.broken, args: '--only srv-data-lone-cr', reports: 'junit' });
  assert.equal(step.code, 1, step.stderr);
  assert.ok(Number(step.outputs.failed) > 0, JSON.stringify(step.outputs));
  for (const key of ['passed', 'warned', 'skipped']) assert.match(step.outputs[key] ?? '', /^\d+$/, key);
  assert.equal(step.outputs['report-dir'], join(step.dir, 'reports'));
  // junit as asked, json and md always (the outputs and the summary come from them).
  for (const file of ['junit.xml', 'results.json', 'summary.md']) assert.ok(existsSync(join(step.dir, 'reports', file)), file);
  assert.equal(existsSync(join(step.dir, 'reports', 'report.html')), false);
  assert.ok(step.summary.startsWith('# earlier steps\n'), 'the summary is appended to');
  assert.match(step.summary, /## ❌ sse-conformance — fixtures mode/);
  assert.match(step.summary, /server\.data\.split-lines/);
  assert.match(step.stdout, /FAIL events server\.data\.split-lines/);
});

test('mode embedded passes; strict and out are honoured', async () => {
  const step = await runStep({ mode: 'embedded', strict: 'true', out: 'conformance', reports: 'json' });
  assert.equal(step.code, 0, step.stdout + step.stderr);
  assert.equal(step.outputs.failed, '0');
  assert.ok(Number(step.outputs.passed) > 100, step.outputs.passed);
  assert.equal(step.outputs['report-dir'], join(step.dir, 'conformance'));
  assert.match(step.summary, /## ✅ sse-conformance — fixtures mode/);
});

test('mode probe and a baseline: a listed failure warns and the step passes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sse-action-baseline-'));
  dirs.push(dir);
  const baseline = join(dir, 'baseline.txt');
  writeFileSync(baseline, 'srv-data-lone-cr/*\n');
  const listed = await runStep({ mode: 'run', url: targets.broken, args: '--only srv-data-lone-cr', baseline });
  assert.equal(listed.code, 0, listed.stdout + listed.stderr);
  assert.equal(listed.outputs.failed, '0');
  assert.ok(Number(listed.outputs.warned) > 0);

  const probe = await runStep({ mode: 'probe', url: `${targets.reference}/srv-data-crlf`, args: "--duration '500'" });
  assert.equal(probe.code, 0, probe.stdout + probe.stderr);
  assert.match(probe.summary, /probe mode/);
});

test('header values are masked and never printed or written to the summary or outputs', async () => {
  const step = await runStep({ mode: 'run', url: targets.broken, args: '--only srv-data-lone-cr', headers: `# from a secret\nAuthorization: ${SECRET}\nX-Trace: t-1\n` });
  assert.equal(step.code, 1, step.stderr);
  const masks = step.stdout.split('\n').filter((line) => line.startsWith('::add-mask::'));
  assert.deepEqual(masks, [`::add-mask::${SECRET}`, '::add-mask::t-1']);
  // The command's repro lines carried the header: the step printed *** instead.
  assert.match(step.stdout, /-H 'authorization: '"\$SSE_HEADER_AUTHORIZATION"''/);
  const printed = step.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::')).join('\n') + step.stderr;
  for (const [where, text] of [['log', printed], ['summary', step.summary], ['outputs', JSON.stringify(step.outputs)]] as const) {
    assert.equal(text.includes('s3cr3t-value'), false, `the secret appears in the ${where}`);
  }
});

test('the step exits 2 on a mistake in its inputs, without running the command', async () => {
  for (const [inputs, message] of [
    [{ mode: 'run' }, /mode run needs the url input/],
    [{ mode: 'serve', url: targets.reference }, /mode must be one of run, probe, embedded/],
    [{ mode: 'embedded', url: targets.reference }, /leave url empty/],
    [{ mode: 'embedded', strict: 'yes' }, /strict must be true or false/],
    [{ mode: 'embedded', args: "--only 'srv" }, /unterminated ' quote/],
    [{ mode: 'embedded', headers: 'no colon here' }, /headers: a line is not "Name: value"/],
  ] as const) {
    const step = await runStep(inputs);
    assert.equal(step.code, 2, JSON.stringify(inputs));
    assert.match(step.stderr, message);
    assert.doesNotMatch(step.stderr, /no colon here/);
  }
  // A usage error of the command itself is its exit code too, and the summary says there is no report.
  const usage = await runStep({ mode: 'run', url: 'ftp://example.invalid' });
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /unsupported scheme ftp:/);
  assert.match(usage.summary, /exited 2 without a report/);
  assert.equal(usage.outputs.failed, undefined);
});
