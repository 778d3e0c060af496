/** One dependency the gateway needs before it takes traffic: resolves when fine, throws why not. */
export type ReadinessCheck = () => Promise<void>;

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; error?: string }>;
}

/** What /ready answers: every check passes and the process is not shutting down. */
export class Readiness {
  private draining = false;

  constructor(private readonly checks: Record<string, ReadinessCheck>) {}

  /** From now on /ready answers 503, so load balancers stop sending new requests. */
  drain(): void {
    this.draining = true;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  async report(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      Object.entries(this.checks).map(async ([name, check]) => {
        try {
          await check();
          return [name, { ok: true }] as const;
        } catch (error) {
          return [name, { ok: false, error: error instanceof Error ? error.message : String(error) }] as const;
        }
      }),
    );
    const checks: ReadinessReport['checks'] = Object.fromEntries(entries);
    if (this.draining) checks.shutdown = { ok: false, error: 'The gateway is shutting down.' };
    return { ready: Object.values(checks).every((check) => check.ok), checks };
  }
}
