import type { Principal, Scope } from '../auth/principal.js';
import type { ApiKeyRecord, CreatedApiKey, TenantKeys } from '../auth/tenantKeys.js';
import type { MintedToken, TenantTokens } from '../auth/tenantTokens.js';
import type { PageArgs, Page } from '../memory/pagination.js';
import type { RedactionRule } from '../memory/redaction.js';
import type { TenantRedactionRules } from '../memory/redactionRules.js';
import type { EndUserUsage, TenantDirectory, UsageDay, UsageLine, UsagePeriod } from '../memory/tenantDirectory.js';
import { normalizeExternalUserId } from '../memory/validate.js';
import type { EndUserRecord, MemoryRecord } from '../model.js';
import type {
  TenantWebhooks,
  WebhookDeliveryRecord,
  WebhookEndpointPatch,
  WebhookEndpointRecord,
} from '../webhooks/tenantWebhooks.js';
import { NotFoundError } from '../errors.js';
import type { Caller } from './caller.js';
import { deliveryOf, idOf } from './ids.js';
import type { UserServices } from './userServices.js';
import { deliveryView, jobView, memoryView, type JobView, type MemoryView } from './views.js';

/** What a session provides to the tenant calls: the tenant's services, and its end users' (for a token). */
export interface TenantCallDeps {
  directory: TenantDirectory;
  keys: TenantKeys;
  /** Made when a token is minted or the secret rotated (the command line has no server secret). */
  tokens: () => TenantTokens;
  redactionRules: TenantRedactionRules;
  webhooks: TenantWebhooks;
  servicesOf(externalUserId: string): UserServices;
}

/**
 * The tenant's calls, for one caller: its end users, keys, tokens, settings, usage and webhooks —
 * each one operation of operations.ts, run through the caller's policy.
 */
export class TenantCalls {
  constructor(
    private readonly caller: Caller,
    private readonly deps: TenantCallDeps,
  ) {}

  viewer(): Promise<Principal> {
    return this.caller.run('viewer', async () => this.caller.principal);
  }

  /**
   * Memories by global id (`node`): within the bound end user for a token, the tenant's for a key;
   * a credential without READ is shown which exist, nothing of them.
   */
  nodes(ids: readonly string[]): Promise<(MemoryView | null)[]> {
    return this.caller.run('node', async () => {
      const { boundUser } = this.caller.principal;
      const loader = boundUser ? this.deps.servicesOf(boundUser).memories.byId : this.deps.directory.memoryById;
      const found = await Promise.all(ids.map((id) => loader.load(id)));
      return found.map((memory: MemoryRecord | null) => memory && memoryView(this.caller.canRead, memory));
    });
  }

  /** Conversation jobs by global id (`node`), as for memories: without READ, their changes are withheld. */
  jobNodes(ids: readonly string[]): Promise<(JobView | null)[]> {
    return this.caller.run('node', async () => {
      const { boundUser } = this.caller.principal;
      const found = await Promise.all(
        ids.map((id) =>
          boundUser ? this.deps.servicesOf(boundUser).conversations.job(id) : this.deps.directory.jobById.load(id),
        ),
      );
      return found.map((job) => job && jobView(this.caller.canRead, job));
    });
  }

  /** API keys by global id (`node`): ADMIN, as apiKeys. */
  apiKeyNodes(ids: readonly string[]): Promise<(ApiKeyRecord | null)[]> {
    return this.caller.run('apiKeys', async () => {
      const keys = await this.deps.keys.list();
      return ids.map((id) => keys.find((key) => key.id === id) ?? null);
    });
  }

  /** Webhook endpoints by global id (`node`): ADMIN, as webhookEndpoints. */
  webhookEndpointNodes(ids: readonly string[]): Promise<(WebhookEndpointRecord | null)[]> {
    return this.caller.run('webhookEndpoints', async () => {
      const endpoints = await this.deps.webhooks.list();
      return ids.map((id) => endpoints.find((endpoint) => endpoint.id === id) ?? null);
    });
  }

  endUser(user: string | null | undefined): Promise<EndUserRecord> {
    return this.caller.runForUser('endUser', user, async (externalUserId) => {
      const found = await this.deps.directory.endUser(externalUserId);
      if (!found) throw new NotFoundError('No memories were ever stored for this end user.');
      return found;
    });
  }

  endUsers(page: PageArgs): Promise<Page<EndUserRecord>> {
    return this.caller.run('endUsers', () => this.deps.directory.endUsers(page));
  }

  createEndUserToken(externalUserId: string, ttlSeconds: number, scopes: Scope[]): Promise<MintedToken> {
    return this.caller.run('createEndUserToken', () => {
      const { principal } = this.caller;
      if (principal.kind !== 'API_KEY') throw new Error('createEndUserToken is tenant-wide: an API key only');
      return this.deps.tokens().mint(externalUserId, ttlSeconds, scopes, principal);
    });
  }

  rotateEndUserTokenSecret(): Promise<Date> {
    return this.caller.run('rotateEndUserTokenSecret', () => this.deps.tokens().rotate());
  }

  apiKeys(): Promise<ApiKeyRecord[]> {
    return this.caller.run('apiKeys', () => this.deps.keys.list());
  }

  createApiKey(name: string, scopes: Scope[]): Promise<CreatedApiKey> {
    return this.caller.run('createApiKey', () => this.deps.keys.create(name, scopes));
  }

  revokeApiKey(id: string): Promise<ApiKeyRecord> {
    return this.caller.run('revokeApiKey', () => this.deps.keys.revoke(idOf('ApiKey', id)));
  }

  rotateApiKey(id: string, gracePeriodSeconds: number): Promise<CreatedApiKey> {
    return this.caller.run('rotateApiKey', () => this.deps.keys.rotate(idOf('ApiKey', id), gracePeriodSeconds));
  }

  usage(period: UsagePeriod): Promise<UsageLine[]> {
    return this.caller.run('usage', () => this.deps.directory.usage(period.from, period.to));
  }

  usageByEndUser(
    period: UsagePeriod,
    page: PageArgs & { externalUserId?: string | null },
  ): Promise<Page<EndUserUsage>> {
    return this.caller.run('usageByEndUser', () => {
      const { externalUserId, ...args } = page;
      const user = externalUserId == null ? undefined : normalizeExternalUserId(externalUserId);
      return this.deps.directory.usageByEndUser(period, { ...args, externalUserId: user });
    });
  }

  usageByDay(period: UsagePeriod): Promise<UsageDay[]> {
    return this.caller.run('usageByDay', () => this.deps.directory.usageByDay(period.from, period.to));
  }

  redactionRules(): Promise<RedactionRule[]> {
    return this.caller.run('redactionRules', () => this.deps.redactionRules.list());
  }

  setRedactionRules(rules: RedactionRule[]): Promise<RedactionRule[]> {
    return this.caller.run('setRedactionRules', () => this.deps.redactionRules.replace(rules));
  }

  webhookEndpoints(): Promise<WebhookEndpointRecord[]> {
    return this.caller.run('webhookEndpoints', () => this.deps.webhooks.list());
  }

  createWebhookEndpoint(
    url: string,
    events: string[],
    includeMemoryData = true,
  ): Promise<{ endpoint: WebhookEndpointRecord; secret: string }> {
    return this.caller.run('createWebhookEndpoint', () => this.deps.webhooks.create(url, events, includeMemoryData));
  }

  updateWebhookEndpoint(id: string, patch: WebhookEndpointPatch): Promise<WebhookEndpointRecord> {
    return this.caller.run('updateWebhookEndpoint', () =>
      this.deps.webhooks.update(idOf('WebhookEndpoint', id), patch),
    );
  }

  deleteWebhookEndpoint(id: string): Promise<{ id: string }> {
    return this.caller.run('deleteWebhookEndpoint', async () => {
      const endpointId = idOf('WebhookEndpoint', id);
      if (!(await this.deps.webhooks.delete(endpointId)))
        throw new NotFoundError('No webhook endpoint with this id for this tenant.');
      return { id: endpointId };
    });
  }

  /** A delivery by its id, or (deprecated) by its endpoint's id and its event's. */
  replayWebhookDelivery(delivery: string | { endpointId: string; eventId: string }): Promise<WebhookDeliveryRecord> {
    return this.caller.run('replayWebhookDelivery', async () => {
      const { endpointId, eventId } =
        typeof delivery === 'string'
          ? deliveryOf(delivery)
          : { endpointId: idOf('WebhookEndpoint', delivery.endpointId, 'endpointId'), eventId: delivery.eventId };
      return deliveryView(this.caller.canRead, await this.deps.webhooks.replay(endpointId, eventId));
    });
  }

  // Reads inside another call's result: the scope of the data they show, not counted.

  /** An end user's live memories (EndUser.memoryCount): READ. */
  memoryCount(externalUserId: string): Promise<number> {
    this.caller.requireRead();
    return this.deps.directory.memoryCount.load(externalUserId);
  }

  /** One end user's usage lines in a period (EndUserUsage.byOperation): ADMIN. */
  usageLinesOf(user: EndUserUsage): Promise<UsageLine[]> {
    this.caller.authorize('usageByEndUser');
    return this.deps.directory.usageLinesOf.load(user);
  }

  /** An endpoint's recent deliveries (ADMIN); their payloads show memory data only with READ. */
  async deliveries(endpointId: string, first: number): Promise<WebhookDeliveryRecord[]> {
    this.caller.authorize('webhookEndpoints');
    const deliveries = await this.deps.webhooks.deliveries(endpointId, first);
    return deliveries.map((delivery) => deliveryView(this.caller.canRead, delivery));
  }
}
