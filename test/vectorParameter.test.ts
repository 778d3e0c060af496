import { Prisma } from '../src/generated/prisma/client.js';
import { VectorParameter, vectorLiteral } from '../src/db/vectorParameter.js';
import { syntheticVector } from '../bench/synthetic.js';
import { databaseKinds, openTestDatabase, type TestDatabase } from './support/databases.js';

/**
 * A query vector reaches PostgreSQL in binary (node-postgres) or as text (PGlite): both must give
 * PostgreSQL the same vector.
 */
describe.each(databaseKinds)('vector parameters on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(kind);
  });
  afterAll(() => db.destroy());

  const scope = { tenantId: '00000000-0000-4000-8000-000000000001', externalUserId: 'alice' };
  const vector = Array.from(syntheticVector('a query', 512));
  const compare = Prisma.sql`SELECT vector_dims(${new VectorParameter(vector)}::vector) AS dims,
    ${new VectorParameter(vector)}::vector <=> ${vectorLiteral(vector)}::vector AS distance,
    (${new VectorParameter(vector)}::vector)::real[] AS "values"`;

  const expectSameVector = ([[row]]: unknown[][]) => {
    const { dims, distance, values } = row as { dims: number; distance: number; values: number[] };
    expect(dims).toBe(512);
    expect(distance).toBeLessThan(1e-6);
    values.forEach((value, i) => expect(value).toBeCloseTo(vector[i], 6));
  };

  test('through the scoped read path', async () => {
    expectSameVector(await db.readScoped(scope, [compare]));
  });
});
