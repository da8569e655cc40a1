// HAProxy's check for Galera nodes (what clustercheck does, without xinetd): one HTTP port per
// node, answering 200 while the node is Synced and 503 otherwise — joining, donating, out of the
// primary component, frozen (no answer within 800 ms) or down. HAProxy's plain MySQL check would
// pass a node that accepts logins but refuses every query until it has caught up.
// Usage: node health-agent.mjs HEALTH_PORT:MYSQL_PORT ...
import http from 'node:http';
import mysql from 'mysql2/promise';

const TIMEOUT_MS = 800;

async function synced(port) {
  let conn;
  const deadline = new Promise((resolve) => setTimeout(() => resolve(false), TIMEOUT_MS));
  const check = (async () => {
    conn = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: TIMEOUT_MS });
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

for (const pair of process.argv.slice(2)) {
  const [healthPort, mysqlPort] = pair.split(':').map(Number);
  http
    .createServer(async (_req, res) => {
      const ok = await synced(mysqlPort);
      res.writeHead(ok ? 200 : 503, { 'Content-Type': 'text/plain', Connection: 'close' });
      res.end(ok ? 'Synced\n' : 'not Synced\n');
    })
    .listen(healthPort, '127.0.0.1');
}
