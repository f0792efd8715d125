import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The checkout: two floors up from the TypeScript source, three from its build in dist/ (the bench runs that). */
function projectRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src', 'main.ts'))) return dir;
  }
  throw new Error(`no checkout above ${from}`);
}

const root = projectRoot(__dirname);

/** `src/main.ts` in its own process, as `npm start` runs it (without the build step). */
export interface GatewayProcess {
  readonly child: ChildProcess;
  /** The GraphQL endpoint from the ready line, `http://localhost:<port>/graphql`. */
  readonly url: string;
  /** Everything it wrote so far, stdout and stderr together. */
  output(): string;
  /** What it wrote on stdout alone. */
  stdout(): string;
  /** The exit code once it has exited. */
  readonly exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL if it has not exited within 10 s. */
  stop(): Promise<void>;
  /**
   * kill -9 of the gateway itself: tsx runs it in a child process of its own, which a SIGKILL of
   * tsx alone would leave running as an orphan, so the whole process group is killed.
   */
  killHard(): Promise<void>;
}

/** libfaketime's settings, so that a suite run under `faketime` gives its gateway the same clock. */
function sameClock(): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && (name === 'LD_PRELOAD' || name.startsWith('FAKETIME') || name === 'DONT_FAKE_MONOTONIC')) kept[name] = value;
  }
  return kept;
}

/**
 * How the process is started: tsx on the sources, or `npm start --silent` itself (npm, its build step, then
 * dist/), as the README tells a log shipper to start it.
 */
export type Launcher = 'tsx' | 'npm start --silent';

/**
 * Starts the gateway with exactly `env` (plus PATH and the test's own clock): what the machine's environment would add is left out, so a
 * test states every setting it relies on. Resolves once the gateway logged that it is ready.
 */
export async function startGatewayProcess(env: Record<string, string>, timeoutMs = 30_000, launcher: Launcher = 'tsx'): Promise<GatewayProcess> {
  const [command, args] = launcher === 'tsx' ? [join(root, 'node_modules', '.bin', 'tsx'), ['src/main.ts']] : ['npm', ['start', '--silent']];
  const child = spawn(command, args, {
    cwd: root,
    env: { ...sameClock(), PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so that killHard() reaches the gateway under tsx.
    detached: true,
  });
  let output = '';
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  // 'close' comes once its output has been read to the end (a last log line included); a grandchild that keeps the
  // pipes open (tsx's, killed apart) must not hold a test for ever, so 'exit' resolves it too, a moment later.
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => setTimeout(() => resolve(code), 2_000).unref());
    child.once('close', (code) => resolve(code));
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const collect = (chunk: Buffer): void => {
      output += chunk.toString();
      const ready = /ready at (http:\/\/localhost:\d+\/graphql)/.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve(ready[1]);
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited with ${code} before it was ready:\n${output}`));
    });
  });
  return {
    child,
    url,
    output: () => output,
    stdout: () => stdout,
    exited,
    async killHard() {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      process.kill(-child.pid, 'SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // npm runs the gateway under a shell that would not pass the signal on: the whole group gets it.
      const signal = (name: NodeJS.Signals): void => {
        if (launcher === 'npm start --silent' && child.pid !== undefined) process.kill(-child.pid, name);
        else child.kill(name);
      };
      signal('SIGTERM');
      const kill = setTimeout(() => signal('SIGKILL'), 10_000);
      await exited;
      clearTimeout(kill);
    },
  };
}

/**
 * `count` gateways with the same `env`, or each its own (several instances of one deployment). Those that
 * started are stopped again when one did not, so no process is left behind to keep jest waiting.
 */
export async function startGatewayProcesses(count: number, env: Record<string, string> | ((index: number) => Record<string, string>)): Promise<GatewayProcess[]> {
  const started = await Promise.allSettled(Array.from({ length: count }, (_, index) => startGatewayProcess(typeof env === 'function' ? env(index) : env)));
  const gateways = started.flatMap((each) => (each.status === 'fulfilled' ? [each.value] : []));
  const failed = started.find((each): each is PromiseRejectedResult => each.status === 'rejected');
  if (failed !== undefined) {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    throw failed.reason;
  }
  return gateways;
}

/** The gateway's own process (tsx runs it as a child), for a signal meant for it: its pid is on every JSON log line. */
export function gatewayPid(gateway: GatewayProcess): number {
  const line = gateway.output().split('\n').find((text) => text.includes('"pid":'));
  if (line === undefined) throw new Error('no JSON log line names the gateway\'s pid (LOG_FORMAT=json?)');
  return (JSON.parse(line) as { pid: number }).pid;
}

/** The process's Zoom webhook route, beside its GraphQL endpoint. */
export function webhookUrl(gateway: GatewayProcess): string {
  return gateway.url.replace(/\/graphql$/, '/webhooks/zoom');
}

/** The names of a live session's participants, as this process serves them; undefined when it has no such session. */
export async function livePeople(gateway: GatewayProcess, sessionId: string): Promise<string[] | undefined> {
  const query = 'query ($id: ID!) { session(id: $id, type: LIVE) { users(first: 50) { nodes { name } } } }';
  const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables: { id: sessionId } }) });
  const answer = (await response.json()) as { data?: { session: { users: { nodes: { name: string }[] } } | null } };
  return answer.data?.session?.users.nodes.map((node) => node.name);
}

/** Reconciliations this process finished (ok or rebuilt), from its /metrics. */
export async function liveReconciliations(gateway: GatewayProcess): Promise<number> {
  const text = await (await fetch(gateway.url.replace(/\/graphql$/, '/metrics'))).text();
  let sum = 0;
  for (const match of text.matchAll(/^zoom_live_reconciliations_total\{outcome="(ok|rebuilt)"\} (\d+)/gm)) sum += Number(match[2]);
  return sum;
}

/** Whether this process's /readyz says it shares through Redis. */
export async function redisUp(gateway: GatewayProcess): Promise<boolean> {
  const ready = await fetch(gateway.url.replace(/\/graphql$/, '/readyz')).then((response) => response.json() as Promise<{ redis?: string }>);
  return ready.redis === 'up';
}
