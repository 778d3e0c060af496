/**
 * The terms of a query that name something exactly: tokens with a digit (dates, amounts, codes
 * like "LIB-20931" or "M7731045"), addresses and handles ("bob@example.com", "user_42") and
 * capitalised words after the first (names such as "Bilal" or "Porto"). Sentence embeddings blur these, while full-text search matches them exactly;
 * common words, on the other hand, are better judged by meaning.
 */
export function exactTerms(query: string): string[] {
  const tokens = query.match(/[\p{L}\p{N}]+(?:[-_./@'’][\p{L}\p{N}]+)*/gu) ?? [];
  return tokens.filter((token, index) => /[\p{N}@_.]/u.test(token) || (index > 0 && /^\p{Lu}/u.test(token)));
}
