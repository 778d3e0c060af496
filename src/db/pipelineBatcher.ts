import pg from 'pg';
import { pipelinedReads, type PipelinedRead, type PipelinedStatement } from './pipelinedRead.js';

/**
 * Scoped transactions (reads, and writes sent whole) asked for while the event loop works through
 * one round of I/O go to PostgreSQL together: one write on one pooled connection, each still its
 * own transaction (see pipelinedRead.ts). Under load that turns a write and a wake-up per search into one per batch —
 * on a busy gateway the system calls of a round trip cost more than the query. A lone read waits
 * for nothing but the end of the current loop turn.
 */
export class PipelineBatcher {
  private queue: PipelinedRead[] = [];
  private scheduled = false;

  constructor(
    private readonly pool: pg.Pool,
    /**
     * Reads per write at most: a read waits for the ones before it in its batch. 8 would bound
     * that wait better, but gave a little less throughput in the bench (median ratios 0.60 and 0.63).
     */
    private readonly maxBatch = 32,
  ) {}

  run(statements: PipelinedStatement[]): Promise<unknown[][]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ statements, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    while (this.queue.length > 0) void this.send(this.queue.splice(0, this.maxBatch));
  }

  private async send(reads: PipelinedRead[]): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      for (const read of reads) read.reject(error as Error);
      return;
    }
    let broken: Error | undefined;
    // pg-pool stops listening while a client is out: a lost connection would crash the process.
    const lost = (error: Error) => (broken ??= error);
    client.on('error', lost);
    try {
      // A read that opened a transaction block (Citus) and failed leaves it aborted: it is ended
      // here, and the reads after it, which never ran, are sent again.
      for (let waiting = reads; waiting.length > 0;) {
        waiting = await pipelinedReads(client, waiting);
        if ((client as unknown as { _txStatus: string | null })._txStatus === 'E') await client.query('ROLLBACK');
      }
    } catch (error) {
      broken ??= error as Error;
    } finally {
      // A broken client keeps the listener: it is discarded, and may still report its end.
      if (!broken) client.off('error', lost);
      client.release(broken);
    }
  }
}
