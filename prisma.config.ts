import { defineConfig } from 'prisma/config';

// Only `prisma generate` reads this offline; the gateway applies migrations itself (src/db/migrate.ts).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgres://localhost/memgate' },
});
