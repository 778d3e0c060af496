/**
 * The baseline the benchmark compares against: plain Okapi BM25 (k1 1.2, b 0.75) over one end
 * user's memories, computed here in the script — lower-cased words, no stemming, no stop words.
 */
const K1 = 1.2;
const B = 0.75;

const words = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

export class Bm25Index {
  private readonly docs: { id: string; tf: Map<string, number>; length: number }[];
  private readonly df = new Map<string, number>();
  private readonly averageLength: number;

  constructor(documents: { id: string; content: string }[]) {
    this.docs = documents.map(({ id, content }) => {
      const tf = new Map<string, number>();
      const tokens = words(content);
      for (const token of tokens) tf.set(token, (tf.get(token) ?? 0) + 1);
      for (const token of tf.keys()) this.df.set(token, (this.df.get(token) ?? 0) + 1);
      return { id, tf, length: tokens.length };
    });
    this.averageLength = this.docs.reduce((sum, doc) => sum + doc.length, 0) / Math.max(1, this.docs.length);
  }

  /** Ids of the best `limit` documents for the query, best first (documents sharing no word are left out). */
  search(query: string, limit: number): string[] {
    const n = this.docs.length;
    const terms = [...new Set(words(query))];
    const scored = this.docs.map((doc) => {
      let score = 0;
      for (const term of terms) {
        const tf = doc.tf.get(term);
        if (!tf) continue;
        const df = this.df.get(term)!;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        score += (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * doc.length) / this.averageLength));
      }
      return { id: doc.id, score };
    });
    return scored
      .filter((doc) => doc.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, limit)
      .map((doc) => doc.id);
  }
}
