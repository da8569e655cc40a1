// HAProxy's check for Galera nodes (what clustercheck does, without xinetd): one HTTP port per
// node, answering 200 while the node is Synced and 503 otherwise — joining, donating, out of the
// primary component, frozen (no answer within 800 ms) or down. HAProxy's plain MySQL check would
// pass a node that accepts logins but refuses every query until it has caught up.
// Usage: node health-agent.mjs HEALTH_PORT:[MYSQL_HOST:]MYSQL_PORT ...   (MYSQL_HOST: 127.0.0.1)
// The agent listens on HEALTH_HOST (127.0.0.1; 0.0.0.0 in a container) and logs in as
// GALERA_CHECK_USER / GALERA_CHECK_PASSWORD (root, no password: the private test cluster).
import http from 'node:http';
import mysql from 'mysql2/promise';

const TIMEOUT_MS = 800;

const user = process.env.GALERA_CHECK_USER ?? 'root';
const password = process.env.GALERA_CHECK_PASSWORD ?? '';
const listenHost = process.env.HEALTH_HOST ?? '127.0.0.1';

async function synced(host, port) {
  let conn;
  const deadline = new Promise((resolve) => setTimeout(() => resolve(false), TIMEOUT_MS));
  const check = (async () => {
    conn = await mysql.createConnection({ host, port, user, password, connectTimeout: TIMEOUT_MS });
    const [rows] = await conn.query("SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_state', 'wsrep_ready')");
    const status = Object.fromEntries(rows.map((r) => [r.Variable_name, r.Value]));
    return status.wsrep_local_state === '4' && status.wsrep_ready === 'ON';
  })().catch(() => false);
  try {
    return await Promise.race([check, deadline]);
  } finally {
    conn?.destroy();
  }
}

for (const spec of process.argv.slice(2)) {
  const parts = spec.split(':');
  const healthPort = Number(parts[0]);
  const mysqlHost = parts.length > 2 ? parts[1] : '127.0.0.1';
  const mysqlPort = Number(parts.at(-1));
  http
    .createServer(async (_req, res) => {
      const ok = await synced(mysqlHost, mysqlPort);
      res.writeHead(ok ? 200 : 503, { 'Content-Type': 'text/plain', Connection: 'close' });
      res.end(ok ? 'Synced\n' : 'not Synced\n');
    })
    .listen(healthPort, listenHost);
}
