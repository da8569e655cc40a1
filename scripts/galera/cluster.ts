// A private MariaDB Galera cluster on loopback: three mariadbd with galera-4, each with its own
// datadir under one folder and its own ports (client, group communication, IST), a health
// agent telling HAProxy which nodes are Synced, and HAProxy in front — one port for writes (one
// node at a time) and one for reads (every Synced node). Every process is started and stopped by
// its PID; nothing touches the machine's own MariaDB or port 3306. Used by the failover tests and
// by `npm run galera -- up|down` for local runs (docker-compose's `galera` profile is the same
// layout for users).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));

/** Where Debian's galera-4 puts the provider. */
export const GALERA_PROVIDER = process.env.GALERA_PROVIDER ?? '/usr/lib/galera/libgalera_smm.so';

/**
 * Failure detection, chosen so that a killed or frozen node is out of the primary component within
 * about 2 s (Galera's defaults take 5–15 s): a node silent for 1 s is suspected, one silent for 2 s
 * is declared gone; keepalives every 300 ms keep a healthy but idle link from being suspected.
 * On a real network, with more jitter, raise suspect/inactive timeouts (see README, Galera).
 */
export const FAILURE_DETECTION =
  'evs.keepalive_period=PT0.3S; evs.suspect_timeout=PT1S; evs.inactive_timeout=PT2S; evs.inactive_check_period=PT0.3S; evs.install_timeout=PT2S; evs.join_retrans_period=PT0.3S';

export interface NodePorts {
  client: number;
  gcomm: number;
  ist: number;
  /** The health agent's HTTP port for this node (HAProxy's check). */
  health: number;
}

export interface ClusterState {
  dir: string;
  nodes: { name: string; ports: NodePorts; pid?: number }[];
  haproxy: { writePort: number; readPort: number; statsPort: number; pid?: number };
  agentPid?: number;
}

export interface GaleraNode {
  readonly name: string;
  readonly ports: NodePorts;
  readonly pid: number | undefined;
  readonly datadir: string;
  /** Sends a signal to mariadbd (SIGCONT first when killing, so a frozen node dies too). */
  signal(signal: 'SIGKILL' | 'SIGSTOP' | 'SIGCONT' | 'SIGTERM'): void;
  /** Resolves once mariadbd has exited. */
  exited(): Promise<void>;
  /** Starts mariadbd again, joining the others; resolves when it is Synced. */
  start(): Promise<void>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
  /** wsrep_local_state_comment, or undefined when it does not answer within a second. */
  state(): Promise<string | undefined>;
}

export interface GaleraCluster {
  readonly dir: string;
  readonly nodes: readonly GaleraNode[];
  /** HAProxy's port that sends every connection to one node (the writer). */
  readonly writePort: number;
  /** HAProxy's port that spreads connections over every Synced node. */
  readonly readPort: number;
  /** `mysql://root@127.0.0.1:<port>/<database>` through HAProxy's write port (or `port`). */
  url(database: string, port?: number): string;
  /** The node HAProxy's write port sends new connections to now. */
  writer(): Promise<GaleraNode>;
  /** Waits until every running node is Synced in one primary component of `size`. */
  synced(size?: number, timeoutMs?: number): Promise<void>;
  /** Stops HAProxy, the agent and every node, and deletes the folder unless `keep`. */
  destroy(options?: { keep?: boolean }): Promise<void>;
  /** What `npm run galera -- down` reads to stop the processes by PID. */
  state(): ClusterState;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting ${what()}`);
    await sleep(200);
  }
}

/** One statement over a connection of its own, with a deadline (a frozen node never answers). */
export async function nodeQuery<T = Record<string, unknown>>(port: number, sql: string, timeoutMs = 1000): Promise<T[]> {
  const conn = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: timeoutMs });
  try {
    const [rows] = await Promise.race([
      conn.query({ sql, timeout: timeoutMs }),
      sleep(timeoutMs + 200).then(() => {
        throw new Error('no answer');
      }),
    ]);
    return rows as T[];
  } finally {
    conn.destroy();
  }
}

export interface StartOptions {
  /** Where the datadirs, logs and config go; a new temp folder by default. */
  dir?: string;
  /** Processes outlive this one (the CLI); tests keep them as children, killed on exit. */
  detached?: boolean;
  bufferPool?: string;
}

export async function startGaleraCluster(options: StartOptions = {}): Promise<GaleraCluster> {
  if (!fs.existsSync(GALERA_PROVIDER)) throw new Error(`No Galera provider at ${GALERA_PROVIDER}: install galera-4 (Debian's mariadb-server recommends it)`);
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'stereodose-galera-'));
  fs.mkdirSync(dir, { recursive: true });
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
  const detached = options.detached ?? false;
  const children: ChildProcess[] = [];
  const killAll = () => {
    for (const child of children) {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
    }
  };
  if (!detached) process.once('exit', killAll);

  const names = ['node1', 'node2', 'node3'];
  const ports: NodePorts[] = [];
  for (const _ of names) ports.push({ client: await freePort(), gcomm: await freePort(), ist: await freePort(), health: await freePort() });
  const clusterAddress = `gcomm://${ports.map((p) => `127.0.0.1:${p.gcomm}`).join(',')}`;
  const haproxyPorts = { writePort: await freePort(), readPort: await freePort(), statsPort: await freePort() };

  const spawnLogged = (command: string, args: string[], log: string) => {
    const out = fs.openSync(log, 'a');
    const child = spawn(command, args, { stdio: ['ignore', out, out], detached });
    fs.closeSync(out);
    if (detached) child.unref();
    children.push(child);
    return child;
  };

  const nodes = names.map((name, i) => {
    const p = ports[i]!;
    const home = path.join(dir, name);
    const datadir = path.join(home, 'data');
    let child: ChildProcess | undefined;
    const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;
    const common = [
      '--no-defaults',
      ...asRoot,
      `--datadir=${datadir}`,
      `--tmpdir=${home}`,
      `--socket=${path.join(home, 'mariadbd.sock')}`,
      `--pid-file=${path.join(home, 'mariadbd.pid')}`,
      `--log-error=${path.join(home, 'error.log')}`,
      `--port=${p.client}`,
      '--bind-address=127.0.0.1',
      '--skip-name-resolve',
      '--performance-schema=OFF',
      `--innodb-buffer-pool-size=${options.bufferPool ?? '64M'}`,
      '--innodb-log-file-size=32M',
      // What Galera needs on every node (README, Galera): row-based replication, interleaved
      // auto-increment locks (statement-level locks would deadlock the parallel appliers), InnoDB.
      '--binlog-format=ROW',
      '--innodb-autoinc-lock-mode=2',
      '--default-storage-engine=InnoDB',
      // Durability comes from the other nodes holding each commit; the log is flushed once a second.
      '--innodb-flush-log-at-trx-commit=2',
      '--wsrep-on=ON',
      `--wsrep-provider=${GALERA_PROVIDER}`,
      '--wsrep-cluster-name=stereodose',
      `--wsrep-cluster-address=${clusterAddress}`,
      `--wsrep-node-name=${name}`,
      `--wsrep-node-address=127.0.0.1:${p.gcomm}`,
      `--wsrep-node-incoming-address=127.0.0.1:${p.client}`,
      // A full state transfer (a node's first join, or one that missed more than gcache holds) as
      // an SQL dump into the running joiner: no extra tool, and no rsync daemon (which runs as
      // nobody when started by root). Rejoining after a restart is an incremental transfer (IST).
      `--wsrep-sst-receive-address=127.0.0.1:${p.client}`,
      '--wsrep-sst-method=mysqldump',
      '--wsrep-sst-auth=root:',
      '--wsrep-slave-threads=2',
      `--wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:${p.gcomm}; ist.recv_addr=127.0.0.1:${p.ist}; gcache.size=128M; ${FAILURE_DETECTION}`,
    ];

    /** After a crash the datadir does not say where it stopped: ask InnoDB (what galera_recovery does). */
    async function recoveredPosition(): Promise<string | undefined> {
      const grastate = path.join(datadir, 'grastate.dat');
      if (!fs.existsSync(grastate) || !/seqno:\s+-1/.test(fs.readFileSync(grastate, 'utf8'))) return undefined;
      const log = path.join(home, 'recover.log');
      fs.rmSync(log, { force: true });
      await run('mariadbd', [...common.filter((a) => !a.startsWith('--log-error')), `--log-error=${log}`, '--wsrep-recover'], { timeout: 60_000 }).catch(
        () => {},
      );
      const found = /Recovered position:\s*(\S+)/.exec(fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '');
      return found?.[1];
    }

    const node: GaleraNode & { boot(newCluster: boolean): Promise<void>; pidNow(): number | undefined } = {
      name,
      ports: p,
      datadir,
      get pid() {
        return running() ? child!.pid : undefined;
      },
      pidNow: () => (running() ? child!.pid : undefined),
      signal(signal) {
        if (!running()) return;
        if (signal === 'SIGKILL') child!.kill('SIGCONT');
        child!.kill(signal);
      },
      exited: () => (running() ? new Promise<void>((resolve) => child!.once('exit', () => resolve())) : Promise.resolve()),
      async boot(newCluster) {
        const position = await recoveredPosition();
        const args = [...common, ...(newCluster ? ['--wsrep-new-cluster'] : []), ...(position ? [`--wsrep-start-position=${position}`] : [])];
        child = spawnLogged('mariadbd', args, path.join(home, 'stdout.log'));
        const started = child;
        await until(
          async () => {
            if (started.exitCode !== null || started.signalCode !== null) throw new Error(`${name} exited while starting; see ${path.join(home, 'error.log')}`);
            return (await node.state()) === 'Synced' ? true : undefined;
          },
          180_000,
          () => `for ${name} to be Synced`,
        );
      },
      start: () => node.boot(false),
      async stop() {
        if (!running()) return;
        const gone = node.exited();
        child!.kill('SIGCONT');
        child!.kill('SIGTERM');
        await gone;
      },
      async state() {
        try {
          const rows = await nodeQuery<{ Value: string }>(p.client, "SHOW GLOBAL STATUS LIKE 'wsrep_local_state_comment'");
          return rows[0]?.Value;
        } catch {
          return undefined;
        }
      },
    };
    return { node, home, datadir };
  });

  let agent: ChildProcess | undefined;
  let haproxy: ChildProcess | undefined;
  const state = (): ClusterState => ({
    dir,
    nodes: nodes.map(({ node }) => ({ name: node.name, ports: node.ports, pid: node.pidNow() })),
    haproxy: { ...haproxyPorts, pid: haproxy?.pid },
    agentPid: agent?.pid,
  });
  const saveState = () => fs.writeFileSync(path.join(dir, 'cluster.json'), `${JSON.stringify(state(), null, 2)}\n`);

  const destroy = async ({ keep = false } = {}) => {
    for (const child of [haproxy, agent]) child?.kill('SIGKILL');
    await Promise.all(
      nodes.map(({ node }) => {
        node.signal('SIGKILL');
        return node.exited();
      }),
    );
    if (!detached) process.off('exit', killAll);
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    for (const { home, datadir } of nodes) {
      fs.mkdirSync(home, { recursive: true });
      await run(
        'mariadb-install-db',
        ['--no-defaults', '--auth-root-authentication-method=normal', '--skip-test-db', `--datadir=${datadir}`, `--tmpdir=${home}`, ...asRoot],
        {
          timeout: 120_000,
        },
      );
    }
    // The first node starts a new cluster; the others join it (a full state transfer each).
    await nodes[0]!.node.boot(true);
    for (const { node } of nodes.slice(1)) await node.boot(false);

    agent = spawnLogged(process.execPath, [path.join(here, 'health-agent.mjs'), ...ports.map((p) => `${p.health}:${p.client}`)], path.join(dir, 'agent.log'));
    fs.writeFileSync(path.join(dir, 'haproxy.cfg'), haproxyConfig(ports, haproxyPorts));
    haproxy = spawnLogged('haproxy', ['-db', '-f', path.join(dir, 'haproxy.cfg')], path.join(dir, 'haproxy.log'));
    const cluster: GaleraCluster = {
      dir,
      nodes: nodes.map(({ node }) => node),
      writePort: haproxyPorts.writePort,
      readPort: haproxyPorts.readPort,
      url: (database, port = haproxyPorts.writePort) => `mysql://root@127.0.0.1:${port}/${database}`,
      async writer() {
        const rows = await nodeQuery<{ port: number }>(haproxyPorts.writePort, 'SELECT @@port AS port', 2000);
        const port = Number(rows[0]?.port);
        const found = cluster.nodes.find((n) => n.ports.client === port);
        if (!found) throw new Error(`the write port reached no known node (port ${port})`);
        return found;
      },
      async synced(size = 3, timeoutMs = 120_000) {
        await until(
          async () => {
            const states = await Promise.all(cluster.nodes.map(async (n) => (n.pid ? n.state() : 'stopped')));
            const running = states.filter((s) => s !== 'stopped');
            if (running.length < size || running.some((s) => s !== 'Synced')) return undefined;
            const [size1] = await nodeQuery<{ Value: string }>(cluster.nodes.find((n) => n.pid)!.ports.client, "SHOW GLOBAL STATUS LIKE 'wsrep_cluster_size'");
            // HAProxy must see a writer too.
            const writer = await cluster.writer().catch(() => undefined);
            return Number(size1?.Value) === size && writer ? true : undefined;
          },
          timeoutMs,
          () => `for ${size} Synced nodes`,
        );
      },
      destroy,
      state,
    };
    await cluster.synced(3);
    saveState();
    return cluster;
  } catch (err) {
    await destroy({ keep: true });
    throw err;
  }
}

/**
 * HAProxy: the write port sends every connection to one node — the first Synced one (balance
 * first) — and stays with it (a one-entry stick table) until that node fails, so Galera never has
 * to certify two nodes' writes against each other and a node that comes back takes nothing over
 * (no second disruption). A node marked down has its connections cut at once, so the app's pool
 * reconnects to the next one instead of waiting on a dead socket. The read port spreads
 * connections over every Synced node. Checks every 500 ms (250 ms once failing), down after 2
 * failures: a killed or frozen node is out within about 1–1.5 s.
 */
function haproxyConfig(ports: NodePorts[], { writePort, readPort, statsPort }: { writePort: number; readPort: number; statsPort: number }): string {
  const servers = ports.map((p, i) => `  server node${i + 1} 127.0.0.1:${p.client} check port ${p.health}`).join('\n');
  return `global
  maxconn 4000

defaults
  mode tcp
  timeout connect 1s
  timeout client 1h
  timeout server 1h
  timeout check 1s
  option redispatch
  retries 2
  default-server inter 500ms fastinter 250ms downinter 500ms rise 2 fall 2 on-marked-down shutdown-sessions

listen writes
  bind 127.0.0.1:${writePort}
  option httpchk GET /
  http-check expect status 200
  balance first
  stick-table type ip size 1
  stick on dst
${servers}

listen reads
  bind 127.0.0.1:${readPort}
  balance leastconn
  option httpchk GET /
  http-check expect status 200
${servers}

listen stats
  mode http
  bind 127.0.0.1:${statsPort}
  stats enable
  stats uri /
`;
}
