// Starts the real Sextant server (`sextant.jar demo`) on a free port with a fresh data directory.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const HERE = new URL('.', import.meta.url).pathname;
export const JAR = resolve(process.env.SEXTANT_JAR ?? join(HERE, '../../../server/target/sextant.jar'));

/** Ends a child process with SIGTERM (SIGKILL after 10 s) and resolves when it has exited. */
export function stopProcess(child) {
  return new Promise((done) => {
    if (child.exitCode !== null) return done();
    child.once('exit', done);
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}

/**
 * Resolves once the server listens and the demo data is written. The returned object knows the base
 * URL, the bootstrap credentials and how to stop the process. `args` are added to the command line.
 */
export async function startDemoServer({ timeoutMs = 180_000, args = [] } = {}) {
  if (!existsSync(JAR)) throw new Error(`no server jar at ${JAR}: build it with mvn -DskipTests package -pl server -am`);
  const dataDir = mkdtempSync(join(tmpdir(), 'sextant-e2e-'));
  const apiKey = `sk-e2e-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
  const adminPassword = `pw-e2e-${Math.random().toString(36).slice(2)}`;
  const child = spawn(
    'java',
    ['-jar', JAR, 'demo', '--host', '127.0.0.1', '--port', '0', '--otlp-http-port', '-1', '--otlp-grpc-port', '-1', '--data-dir', join(dataDir, 'data'), ...args],
    {
      env: { ...process.env, SEXTANT_BOOTSTRAP_API_KEY: apiKey, SEXTANT_BOOTSTRAP_ADMIN_PASSWORD: adminPassword },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const log = [];
  let url = null;
  let demoRuns = null;
  const ready = new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`server not ready after ${timeoutMs} ms; log:\n${log.join('\n')}`)), timeoutMs);
    const onLine = (line) => {
      log.push(line);
      const listening = /Listening: http on (http:\/\/[^\s]+)/.exec(line);
      if (listening) url = listening[1].replace(/\/$/, '');
      const demo = /Demo: wrote (\d+) runs to project default/.exec(line);
      if (demo) demoRuns = Number(demo[1]);
      if (url && demoRuns !== null) {
        clearTimeout(timer);
        resolveReady();
      }
    };
    for (const stream of [child.stdout, child.stderr]) {
      let buffer = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        buffer += chunk;
        let i;
        while ((i = buffer.indexOf('\n')) >= 0) {
          onLine(buffer.slice(0, i));
          buffer = buffer.slice(i + 1);
        }
      });
    }
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it was ready; log:\n${log.join('\n')}`));
    });
  });
  try {
    await ready;
  } catch (e) {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  child.removeAllListeners('exit');

  return {
    url,
    apiKey,
    adminPassword,
    demoRuns,
    log,
    /** Calls the HTTP API with the bootstrap key (or another key). */
    async api(method, path, body, key = apiKey) {
      const response = await fetch(url + path, {
        method,
        headers: { Authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      const json = text ? JSON.parse(text) : null;
      if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
      return json;
    },
    async stop() {
      await stopProcess(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
