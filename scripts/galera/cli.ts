// npm run galera -- up [DIR]   three private Galera nodes and HAProxy on loopback; prints the URLs
// npm run galera -- down DIR   stops them by the PIDs recorded in DIR/cluster.json, deletes DIR
import fs from 'node:fs';
import path from 'node:path';
import { type ClusterState, startGaleraCluster } from './cluster.js';

const [command, dir] = process.argv.slice(2);

if (command === 'up') {
  const cluster = await startGaleraCluster({ dir: dir && path.resolve(dir), detached: true });
  const state = cluster.state();
  console.log(`Galera cluster up in ${cluster.dir}`);
  for (const node of state.nodes) console.log(`  ${node.name}: mysql://root@127.0.0.1:${node.ports.client} (pid ${node.pid})`);
  console.log(`  HAProxy (pid ${state.haproxy.pid}), stats http://127.0.0.1:${state.haproxy.statsPort}/`);
  console.log(`DATABASE_URL=${cluster.url('stereodose')}`);
  console.log(`DATABASE_READ_URL=${cluster.url('stereodose', cluster.readPort)}`);
  console.log(`Stop it: npm run galera -- down ${cluster.dir}`);
  process.exit(0);
} else if (command === 'down' && dir) {
  const file = path.join(path.resolve(dir), 'cluster.json');
  const state = JSON.parse(fs.readFileSync(file, 'utf8')) as ClusterState;
  const pids = [state.haproxy.pid, state.agentPid, ...state.nodes.map((n) => n.pid)].filter((pid): pid is number => pid !== undefined);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const deadline = Date.now() + 60_000;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  for (const pid of pids.filter(alive)) process.kill(pid, 'SIGKILL');
  fs.rmSync(state.dir, { recursive: true, force: true });
  console.log(`Stopped ${pids.length} processes and removed ${state.dir}`);
} else {
  console.error('Usage: npm run galera -- up [DIR] | down DIR');
  process.exit(2);
}
