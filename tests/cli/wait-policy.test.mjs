// The CLI makes OpenMP's idle threads sleep (OMP_WAIT_POLICY=passive) unless the user chose a policy
// (cli/wait_policy.hpp): it re-executes itself with the variable set, so its environment shows it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = process.env.SPIKETAIL_CLI || path.join(root, 'build/spiketail');

// The environment of a running `spiketail run` (the study's single run: seconds long), read from /proc.
async function policyOf(env) {
  const child = spawn(cli, ['run', '--quiet', '--out', '/dev/null'], { env, stdio: 'ignore' });
  try {
    const file = `/proc/${child.pid}/environ`;
    for (let i = 0; i < 100; i++) {
      await new Promise((r) => setTimeout(r, 20));
      const vars = fs.readFileSync(file, 'utf8').split('\0');
      const policy = vars.find((v) => v.startsWith('OMP_WAIT_POLICY='));
      if (policy) return policy.split('=')[1];
    }
    return null;
  } finally {
    child.kill('SIGKILL');
  }
}

test('without OMP_WAIT_POLICY the CLI runs with the passive policy; a policy the user set is kept',
  { skip: !fs.existsSync('/proc/self/environ') }, async () => {
    const env = { ...process.env };
    delete env.OMP_WAIT_POLICY;
    assert.equal(await policyOf(env), 'passive');
    assert.equal(await policyOf({ ...env, OMP_WAIT_POLICY: 'active' }), 'active');
  });
