
      export type PossibleTypesResultData = {
  "possibleTypes": {
    "AddMemoriesResult": [
      "AddedMemories",
      "ConflictError",
      "EmbeddingUnavailableError",
      "ValidationError"
    ],
    "AddMemoryResult": [
      "AddedMemory",
      "ConflictError",
      "EmbeddingUnavailableError",
      "LlmFailedError",
      "LlmNotConfiguredError",
      "ValidationError"
    ],
    "AskMemoryResult": [
      "EmbeddingUnavailableError",
      "LlmFailedError",
      "LlmNotConfiguredError",
      "MemoryAnswer",
      "ValidationError"
    ],
    "CreateApiKeyResult": [
      "NewApiKey",
      "ValidationError"
    ],
    "CreateEndUserTokenResult": [
      "EndUserToken",
      "ValidationError"
    ],
    "CreateWebhookEndpointResult": [
      "NewWebhookEndpoint",
      "ValidationError"
    ],
    "DeleteEndUserResult": [
      "EndUserErasure",
      "ValidationError"
    ],
    "DeleteMemoryResult": [
      "DeletedMemory",
      "NotFoundError",
      "ValidationError"
    ],
    "DeleteWebhookEndpointResult": [
      "DeletedWebhookEndpoint",
      "NotFoundError",
      "ValidationError"
    ],
    "EndUserResult": [
      "EndUser",
      "NotFoundError",
      "ValidationError"
    ],
    "EndUsersResult": [
      "EndUserConnection",
      "ValidationError"
    ],
    "EntitiesResult": [
      "EntityConnection",
      "ValidationError"
    ],
    "EntityResult": [
      "Entity",
      "NotFoundError",
      "ValidationError"
    ],
    "Error": [
      "ConflictError",
      "EmbeddingUnavailableError",
      "LlmFailedError",
      "LlmNotConfiguredError",
      "NotFoundError",
      "ValidationError"
    ],
    "ExportEndUserResult": [
      "EndUserExport",
      "NotFoundError",
      "ValidationError"
    ],
    "JobResult": [
      "ConversationJob",
      "NotFoundError",
      "ValidationError"
    ],
    "MemoriesResult": [
      "MemoryConnection",
      "ValidationError"
    ],
    "MemoryContextResult": [
      "EmbeddingUnavailableError",
      "MemoryContext",
      "ValidationError"
    ],
    "MemoryResult": [
      "Memory",
      "NotFoundError",
      "ValidationError"
    ],
    "Node": [
      "ApiKey",
      "ConversationJob",
      "Memory",
      "WebhookEndpoint"
    ],
    "RememberConversationResult": [
      "ConversationJob",
      "EmbeddingUnavailableError",
      "LlmFailedError",
      "LlmNotConfiguredError",
      "ValidationError"
    ],
    "ReplayWebhookDeliveryResult": [
      "NotFoundError",
      "ValidationError",
      "WebhookDelivery"
    ],
    "RestoreMemoryResult": [
      "ConflictError",
      "EmbeddingUnavailableError",
      "Memory",
      "NotFoundError",
      "ValidationError"
    ],
    "RevokeApiKeyResult": [
      "ApiKey",
      "NotFoundError",
      "ValidationError"
    ],
    "RotateApiKeyResult": [
      "NewApiKey",
      "NotFoundError",
      "ValidationError"
    ],
    "SearchMemoriesResult": [
      "EmbeddingUnavailableError",
      "MemorySearch",
      "ValidationError"
    ],
    "SetRedactionRulesResult": [
      "RedactionRules",
      "ValidationError"
    ],
    "UpdateMemoryResult": [
      "ConflictError",
      "EmbeddingUnavailableError",
      "Memory",
      "NotFoundError",
      "ValidationError"
    ],
    "UpdateWebhookEndpointResult": [
      "NotFoundError",
      "ValidationError",
      "WebhookEndpoint"
    ],
    "UsageByDayResult": [
      "DailyUsage",
      "ValidationError"
    ],
    "UsageByEndUserResult": [
      "EndUserUsageConnection",
      "ValidationError"
    ]
  }
};
      const result: PossibleTypesResultData = {
  "possibleTypes": {
    "AddMemoriesResult": [
      "AddedMemories",
      "ConflictError",
      "EmbeddingUnavailableError",
      "ValidationError"
    ],
    "AddMemoryResult": [
      "AddedMemory",
      "ConflictError",
      "EmbeddingUnavailableError",
      "LlmFailedError",
      "LlmNotConfiguredError",
      "ValidationError"
    ],
    "AskMemoryResult": [
      "EmbeddingUnavailableError",
      "LlmFailedError",
      "LlmNotConfiguredError",
      "MemoryAnswer",
      "ValidationError"
    ],
    "CreateApiKeyResult": [
      "NewApiKey",
      "ValidationError"
    ],
    "CreateEndUserTokenResult": [
      "EndUserToken",
      "ValidationError"
    ],
    "CreateWebhookEndpointResult": [
      "NewWebhookEndpoint",
      "ValidationError"
    ],
    "DeleteEndUserResult": [
      "EndUserErasure",
      "ValidationError"
    ],
    "DeleteMemoryResult": [
      "DeletedMemory",
      "NotFoundError",
      "ValidationError"
    ],
    "DeleteWebhookEndpointResult": [
      "DeletedWebhookEndpoint",
      "NotFoundError",
      "ValidationError"
    ],
    "EndUserResult": [
      "EndUser",
      "NotFoundError",
      "ValidationError"
    ],
    "EndUsersResult": [
      "EndUserConnection",
      "ValidationError"
    ],
    "EntitiesResult": [
      "EntityConnection",
      "ValidationError"
    ],
    "EntityResult": [
      "Entity",
      "NotFoundError",
      "ValidationError"
    ],
    "Error": [
      "ConflictError",
      "EmbeddingUnavailableError",
      "LlmFailedError",
      "LlmNotConfiguredError",
      "NotFoundError",
      "ValidationError"
    ],
    "ExportEndUserResult": [
      "EndUserExport",
      "NotFoundError",
      "ValidationError"
    ],
    "JobResult": [
      "ConversationJob",
      "NotFoundError",
      "ValidationError"
    ],
    "MemoriesResult": [
      "MemoryConnection",
      "ValidationError"
    ],
    "MemoryContextResult": [
      "EmbeddingUnavailableError",
      "MemoryContext",
      "ValidationError"
    ],
    "MemoryResult": [
      "Memory",
      "NotFoundError",
      "ValidationError"
    ],
    "Node": [
      "ApiKey",
      "ConversationJob",
      "Memory",
      "WebhookEndpoint"
    ],
    "RememberConversationResult": [
      "ConversationJob",
      "EmbeddingUnavailableError",
      "LlmFailedError",
      "LlmNotConfiguredError",
      "ValidationError"
    ],
    "ReplayWebhookDeliveryResult": [
      "NotFoundError",
      "ValidationError",
      "WebhookDelivery"
    ],
    "RestoreMemoryResult": [
      "ConflictError",
      "EmbeddingUnavailableError",
      "Memory",
      "NotFoundError",
      "ValidationError"
    ],
    "RevokeApiKeyResult": [
      "ApiKey",
      "NotFoundError",
      "ValidationError"
    ],
    "RotateApiKeyResult": [
      "NewApiKey",
      "NotFoundError",
      "ValidationError"
    ],
    "SearchMemoriesResult": [
      "EmbeddingUnavailableError",
      "MemorySearch",
      "ValidationError"
    ],
    "SetRedactionRulesResult": [
      "RedactionRules",
      "ValidationError"
    ],
    "UpdateMemoryResult": [
      "ConflictError",
      "EmbeddingUnavailableError",
      "Memory",
      "NotFoundError",
      "ValidationError"
    ],
    "UpdateWebhookEndpointResult": [
      "NotFoundError",
      "ValidationError",
      "WebhookEndpoint"
    ],
    "UsageByDayResult": [
      "DailyUsage",
      "ValidationError"
    ],
    "UsageByEndUserResult": [
      "EndUserUsageConnection",
      "ValidationError"
    ]
  }
};
      export default result;
    