import { describe, expect, it } from 'vitest';
import { judgeStatus } from './read-replica.js';

const following = (lag: number | null, sql = 'Yes', io = 'Yes') => ({ Slave_IO_Running: io, Slave_SQL_Running: sql, Seconds_Behind_Master: lag });

describe('judgeStatus', () => {
  it('when the replica follows within the limit, then it is healthy; beyond it, not', () => {
    expect(judgeStatus(following(1), 30, undefined, 1000)).toMatchObject({ healthy: true, lagSeconds: 1, following: { at: 1000, lagSeconds: 1 } });
    expect(judgeStatus(following(31), 30, undefined, 1000)).toMatchObject({ healthy: false, lagSeconds: 31 });
  });

  it("when MySQL's renamed columns are given, then they are read the same", () => {
    const row = { Replica_IO_Running: 'Yes', Replica_SQL_Running: 'Yes', Seconds_Behind_Source: 4 };
    expect(judgeStatus(row, 30, undefined, 0)).toMatchObject({ healthy: true, lagSeconds: 4 });
  });

  it('when replication stopped, then the replica keeps the reads until the time since it last followed passes the limit', () => {
    const last = { at: 10_000, lagSeconds: 1 };
    expect(judgeStatus(following(null, 'No'), 30, last, 20_000)).toMatchObject({ healthy: true, lagSeconds: 11 });
    expect(judgeStatus(following(null, 'Yes', 'No'), 30, last, 41_000)).toMatchObject({ healthy: false, lagSeconds: 32 });
    expect(judgeStatus(following(null, 'No'), 30, undefined, 0)).toMatchObject({ healthy: false });
  });

  it('when the server is no replica at all, then it gets no reads', () => {
    expect(judgeStatus(undefined, 30, undefined, 0)).toMatchObject({ healthy: false, reason: expect.stringMatching(/not a replica/) });
  });
});
