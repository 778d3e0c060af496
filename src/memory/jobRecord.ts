import type { MemoryChange } from '../model.js';

/** A conversation job as the API shows it, and how it is read from its row. */
export type JobStatus = 'PENDING' | 'RUNNING' | 'DONE' | 'FAILED';

export interface JobFailure {
  attempt: number;
  at: Date;
  reason: string;
}

export interface JobRecord {
  id: string;
  externalUserId: string;
  status: JobStatus;
  changes: MemoryChange[] | null;
  error: string | null;
  attempts: number;
  failures: JobFailure[];
  createdAt: Date;
  finishedAt: Date | null;
}

/** The columns of a job (Prisma's select). */
export const jobSelect = {
  id: true,
  externalUserId: true,
  status: true,
  result: true,
  error: true,
  attempts: true,
  failures: true,
  createdAt: true,
  finishedAt: true,
} as const;

export type JobRow = { status: string; result: unknown; failures: unknown } & Omit<
  JobRecord,
  'status' | 'changes' | 'failures'
>;

export function toJob(row: JobRow): JobRecord {
  const { result, failures, ...rest } = row;
  return {
    ...rest,
    status: row.status as JobStatus,
    changes: (result as MemoryChange[] | null) ?? null,
    failures: (failures as { attempt: number; at: string; reason: string }[]).map((failure) => ({
      ...failure,
      at: new Date(failure.at),
    })),
  };
}
