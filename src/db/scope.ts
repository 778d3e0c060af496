import { Prisma, type PrismaClient } from '../generated/prisma/client.js';

/**
 * Who a piece of work belongs to. `externalUserId` undefined means tenant-wide work
 * (listing a tenant's end users); everything about one end user's data carries it.
 */
export interface Scope {
  tenantId: string;
  externalUserId?: string;
}

/** The role all scoped work runs as: no superuser, no BYPASSRLS, owns nothing (see the RLS migration). */
export const APP_ROLE = 'memgate_app';

const USER_OWNED_MODELS = new Set(['Memory', 'MemoryEvent', 'IdempotencyKey', 'EndUser', 'Conversation', 'LlmUsage']);
/** Tenant-owned models without an end user: only tenantId is forced. */
const TENANT_OWNED_MODELS = new Set(['ApiKey', 'RedactionRule']);
const UNIQUE_WHERE_OPERATIONS = new Set(['findUnique', 'findUniqueOrThrow', 'update', 'delete', 'upsert']);
const CREATE_OPERATIONS = new Set(['create', 'createMany', 'createManyAndReturn']);
const UPDATE_OPERATIONS = new Set(['update', 'updateMany', 'updateManyAndReturn']);

type Where = Record<string, unknown>;

function scopeColumns(scope: Scope): Where {
  return scope.externalUserId === undefined
    ? { tenantId: scope.tenantId }
    : { tenantId: scope.tenantId, externalUserId: scope.externalUserId };
}

function withoutScopeColumns({ tenantId: _tenantId, externalUserId: _externalUserId, ...data }: Where): Where {
  return data;
}

/** Rewrites a unique selector given by its natural key (`{ id }`, `{ key }`, `{}`) into the scoped composite key. */
function scopedUniqueWhere(model: string, where: Where, scope: Scope): Where {
  const { tenantId } = scope;
  const externalUserId = scope.externalUserId;
  const userFilter = externalUserId === undefined ? {} : { externalUserId };
  switch (model) {
    case 'ApiKey':
    case 'RedactionRule': {
      const { id, ...rest } = where;
      return { ...rest, tenantId_id: { tenantId, id } };
    }
    case 'Memory':
    case 'MemoryEvent':
    case 'Conversation':
    case 'LlmUsage': {
      const { id, tenantId_id: _ignored, ...rest } = where;
      return { ...rest, ...userFilter, tenantId_id: { tenantId, id } };
    }
    case 'IdempotencyKey': {
      const { key, ...rest } = where;
      if (externalUserId === undefined) throw new Error('IdempotencyKey needs a user scope');
      return { ...rest, tenantId_externalUserId_key: { tenantId, externalUserId, key } };
    }
    case 'EndUser':
      if (externalUserId === undefined) throw new Error('EndUser needs a user scope');
      return { tenantId_externalUserId: { tenantId, externalUserId } };
    default:
      throw new Error(`${model} is not reachable from a scope`);
  }
}

/**
 * A Prisma client extension that confines every model operation to one scope: the scope's columns
 * are forced into every `where` and every created row, and taken out of every update, whatever the
 * caller passed.
 * The models have no relations, so there are no nested writes to rewrite.
 */
export function scopeExtension(scope: Scope) {
  const userColumns = scopeColumns(scope);
  const tenantColumns = { tenantId: scope.tenantId };
  return Prisma.defineExtension({
    name: 'memgate-scope',
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }) {
          const tenantOwned = TENANT_OWNED_MODELS.has(model);
          if (!tenantOwned && !USER_OWNED_MODELS.has(model)) throw new Error(`${model} is not reachable from a scope`);
          const columns = tenantOwned ? tenantColumns : userColumns;
          const scoped = { ...(args as Record<string, unknown>) } as Record<string, any>;
          if (UNIQUE_WHERE_OPERATIONS.has(operation)) {
            scoped.where = scopedUniqueWhere(model, scoped.where ?? {}, scope);
          } else if (!CREATE_OPERATIONS.has(operation)) {
            scoped.where = { ...(scoped.where ?? {}), ...columns };
          }
          if (CREATE_OPERATIONS.has(operation)) {
            scoped.data = Array.isArray(scoped.data)
              ? scoped.data.map((row: Where) => ({ ...row, ...columns }))
              : { ...scoped.data, ...columns };
          }
          // An update never sets the scope's columns (Citus refuses to set a distribution column,
          // even to its own value): a row cannot leave its scope.
          if (UPDATE_OPERATIONS.has(operation) && scoped.data) scoped.data = withoutScopeColumns(scoped.data);
          if (operation === 'upsert') {
            scoped.create = { ...scoped.create, ...columns };
            scoped.update = withoutScopeColumns(scoped.update ?? {});
          }
          return query(scoped);
        },
      },
    },
  });
}

export function scopedClient(prisma: PrismaClient, scope: Scope) {
  return prisma.$extends(scopeExtension(scope));
}

export type ScopedClient = ReturnType<typeof scopedClient>;
export type ScopedTransaction = Parameters<Parameters<ScopedClient['$transaction']>[0]>[0];

/**
 * Records the scope in transaction-local settings and switches to the unprivileged app role, in
 * one round trip. Must run first inside a transaction; both vanish when it ends.
 */
export async function enterScope(tx: { $executeRaw: PrismaClient['$executeRaw'] }, scope: Scope): Promise<void> {
  await tx.$executeRaw(enterScopeSql(scope));
}

/**
 * The statement enterScope runs: the scope's three transaction-local settings (through
 * memgate_enter_scope, which Citus propagates to its workers; see the citus_layout migration), the
 * app role, and any further transaction-local settings (fixed by our code, never user input;
 * values are parameters).
 */
export function enterScopeSql(scope: Scope, settings: ReadSettings = {}): Prisma.Sql {
  const tenantWide = scope.externalUserId === undefined ? 'on' : '';
  const more = Object.entries(settings).map(([name, value]) => Prisma.sql`, set_config(${name}, ${value}, true)`);
  return Prisma.sql`SELECT memgate_enter_scope(${scope.tenantId}, ${scope.externalUserId ?? ''}, ${tenantWide}),
    set_config('role', ${APP_ROLE}, true)${more.length ? Prisma.join(more, '') : Prisma.empty}`;
}

/** Transaction-local planner settings (fixed by our code, never user input). */
export type ReadSettings = Readonly<Record<string, string>>;

/** Runs read-only statements in one transaction inside a scope (see Database.readScoped). */
export type ScopedReader = (scope: Scope, statements: Prisma.Sql[], settings?: ReadSettings) => Promise<unknown[][]>;

/** Runs statements in one transaction inside a scope, sent together (see Database.writeScoped). */
export type ScopedWriter = (scope: Scope, statements: Prisma.Sql[]) => Promise<unknown[][]>;

/** The database's pipelined paths for scoped statements. */
export interface ScopedStatements {
  readScoped: ScopedReader;
  writeScoped: ScopedWriter;
  /** A Citus cluster: some statements take another form there (see webhookSql.ts). */
  citus?: boolean;
}

/** `SET LOCAL` statements for the settings; refuses anything but plain names and values. */
export function setLocalStatements(settings: ReadSettings = {}): string[] {
  return Object.entries(settings).map(([name, value]) => {
    if (!/^[a-z_][a-z0-9_.]*$/.test(name) || !/^[a-z0-9_]+$/.test(value)) throw new Error(`refused setting ${name}`);
    return `SET LOCAL ${name} = ${value}`;
  });
}

/** The same as one script. */
export function setLocalSql(settings: ReadSettings = {}): string {
  return setLocalStatements(settings)
    .map((statement) => `${statement};`)
    .join(' ');
}

/**
 * Runs work for one scope inside one transaction that first records the scope in
 * transaction-local settings and switches to the unprivileged app role, so that row-level
 * security applies to everything in it. Raw SQL run on `tx` shares the scope.
 * A tenant-wide scope (no externalUserId) may only read: the policies allow it no writes.
 */
export class ScopedDatabase {
  private scoped?: ScopedClient;

  constructor(
    private readonly prisma: PrismaClient,
    readonly scope: Scope,
    /** The database's pipelined paths (Database.readScoped and writeScoped). */
    private readonly pipelines: ScopedStatements,
  ) {}

  get citus(): boolean {
    return this.pipelines.citus ?? false;
  }

  /** Built on first use: most requests only read, and never need it. */
  private get client(): ScopedClient {
    this.scoped ??= scopedClient(this.prisma, this.scope);
    return this.scoped;
  }

  /**
   * Runs read-only raw statements in one transaction of this scope and returns their rows. Every
   * statement must name the scope's tenant and end user itself (row-level security checks again).
   */
  read<T extends unknown[][]>(statements: Prisma.Sql[], settings?: ReadSettings): Promise<T> {
    return this.pipelines.readScoped(this.scope, statements, settings) as Promise<T>;
  }

  /**
   * Runs statements in one transaction of this scope, sent together: none waits for another's
   * answer, so they must decide among themselves in SQL. All or nothing: a failing statement undoes
   * the ones before it. Every statement must name the scope's tenant and end user itself.
   */
  write<T extends unknown[][]>(statements: Prisma.Sql[]): Promise<T> {
    return this.pipelines.writeScoped(this.scope, statements) as Promise<T>;
  }

  transaction<T>(work: (tx: ScopedTransaction) => Promise<T>): Promise<T> {
    return this.client.$transaction(
      async (tx) => {
        await enterScope(tx, this.scope);
        return work(tx);
      },
      { maxWait: 30_000, timeout: 30_000 },
    );
  }
}
