import { Kind, parse, type DocumentNode } from 'graphql';

/**
 * A document that only asks about the schema (`__schema`, `__type`, `__typename` at the root, no
 * fragment spreads there): it reads no tenant data, so GraphiQL's docs explorer may load it
 * before a key is entered — only where introspection is enabled (development by default).
 */
export function isIntrospectionOnly(query: unknown): boolean {
  if (typeof query !== 'string' || query.length > 20_000) return false;
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch {
    return false;
  }
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  return (
    operations.length > 0 &&
    operations.every(
      (operation) =>
        operation.operation === 'query' &&
        operation.selectionSet.selections.every(
          (selection) => selection.kind === Kind.FIELD && selection.name.value.startsWith('__'),
        ),
    )
  );
}
