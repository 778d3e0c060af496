import pg from 'pg';

/** Databases on a server or a Citus cluster, for the test suites and the bench. */

export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

export async function run(url: string, ...statements: string[]): Promise<unknown[][]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const results: unknown[][] = [];
    for (const statement of statements) results.push((await client.query(statement)).rows);
    return results;
  } finally {
    await client.end();
  }
}

/** Runs `work` while holding a lock on the server that other suites setting up a database wait for. */
export async function oneAtATime<T>(serverUrl: string, work: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(727274002)');
    return await work();
  } finally {
    await client.end();
  }
}

/** The URLs of a Citus cluster's workers, as its coordinator's default database knows them. */
export async function citusWorkers(coordinatorUrl: string): Promise<string[]> {
  const [rows] = (await run(
    coordinatorUrl,
    "SELECT nodename, nodeport FROM pg_dist_node WHERE noderole = 'primary' AND groupid <> 0 ORDER BY nodeport",
  )) as {
    nodename: string;
    nodeport: number;
  }[][];
  return rows.map(({ nodename, nodeport }) => {
    const url = new URL(coordinatorUrl);
    url.hostname = nodename;
    url.port = String(nodeport);
    return url.toString();
  });
}

/** A fresh database on every node of the cluster, with Citus and pgvector, its workers registered. */
export async function createCitusDatabase(coordinatorUrl: string, name: string): Promise<string[]> {
  const workers = await citusWorkers(coordinatorUrl);
  for (const worker of [coordinatorUrl, ...workers]) {
    await run(worker, 'SET citus.enable_create_database_propagation = off', `CREATE DATABASE ${name}`);
    await run(withDatabase(worker, name), 'CREATE EXTENSION citus', 'CREATE EXTENSION vector');
  }
  const coordinator = new URL(coordinatorUrl);
  await run(
    withDatabase(coordinatorUrl, name),
    `SELECT citus_set_coordinator_host('${coordinator.hostname}', ${coordinator.port || 5432})`,
    ...workers.map((worker) => `SELECT citus_add_node('${new URL(worker).hostname}', ${new URL(worker).port})`),
  );
  return workers;
}
