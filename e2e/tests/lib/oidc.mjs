// Runs mock-oauth2-server (the OpenID Connect provider the server tests use) as its own process.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stopProcess } from './server.mjs';

const HERE = new URL('.', import.meta.url).pathname;
const CLASSPATH_FILE = process.env.MOCK_OAUTH2_CLASSPATH ?? join(HERE, '../../target/mock-oauth2-server.classpath');
const MAIN = 'no.nav.security.mock.oauth2.StandaloneMockOAuth2ServerKt';

/**
 * Starts the provider with its interactive login form on a free loopback port and resolves once
 * the discovery document of issuer `issuerId` is served. The class path is written by
 * `mvn -pl e2e … pre-integration-test` (maven-dependency-plugin build-classpath).
 */
export async function startOidcProvider({ issuerId = 'corp', timeoutMs = 60_000 } = {}) {
  if (!existsSync(CLASSPATH_FILE)) {
    throw new Error(`no class path for mock-oauth2-server at ${CLASSPATH_FILE}: run the e2e module through mvn (or set MOCK_OAUTH2_CLASSPATH)`);
  }
  const port = 20000 + Math.floor(Math.random() * 40000);
  const child = spawn('java', ['-cp', readFileSync(CLASSPATH_FILE, 'utf8').trim(), MAIN], {
    env: { ...process.env, SERVER_HOSTNAME: '127.0.0.1', SERVER_PORT: String(port), JSON_CONFIG: JSON.stringify({ interactiveLogin: true }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => log.push(chunk));
  }
  const issuer = `http://127.0.0.1:${port}/${issuerId}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mock-oauth2-server exited with ${child.exitCode}; log:\n${log.join('')}`);
    try {
      const response = await fetch(`${issuer}/.well-known/openid-configuration`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`mock-oauth2-server not ready after ${timeoutMs} ms; log:\n${log.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    issuer,
    log,
    stop: () => stopProcess(child),
  };
}
