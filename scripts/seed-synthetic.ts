/**
 * `npm run seed:synthetic -- --children 1000 [--kiosks 4] [--teachers 20]`: adds a large synthetic
 * Home to the configured database (PGlite in DATA_DIR, or DATABASE_URL) for benchmarks.
 * Stop `npm start` first: an embedded database has one user at a time (the DATA_DIR lock refuses a second one).
 */
import { parseArgs } from 'node:util';
import { seedHome } from '@affection/db';
import { openConfiguredDatabase } from '@affection/runtime';
import { hashPassword } from '../apps/server/src/main.ts';
import { readStartConfig } from './env.ts';

const { values } = parseArgs({
  options: {
    children: { type: 'string', default: '1000' },
    kiosks: { type: 'string', default: '4' },
    teachers: { type: 'string', default: '20' },
    seed: { type: 'string', default: '1' },
  },
});
const count = (name: string, value: string | undefined, max: number) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    console.error(`--${name} must be a whole number from 1 to ${max} (got ${value})`);
    process.exit(2);
  }
  return n;
};
const children = count('children', values.children, 100_000);
const kiosks = count('kiosks', values.kiosks, 50);
const teachers = count('teachers', values.teachers, 1000);
const seed = count('seed', values.seed, 2 ** 31);

let database: Awaited<ReturnType<typeof openConfiguredDatabase>>;
try {
  // Takes the DATA_DIR lock for the embedded database: refused while npm start (or another script) uses the folder.
  database = await openConfiguredDatabase(readStartConfig());
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const started = performance.now();
const tag = `s${seed}-${Date.now().toString(36)}`;
const seeded = await seedHome(database.db, {
  name: `Synthetic Home ${tag} (${children} children)`,
  children,
  kiosks,
  teachers,
  hashPassword,
  adminLogin: { username: `admin-${tag}`, password: `synthetic-${tag}` },
  teacherPassword: `synthetic-${tag}`,
  teacherUsernamePrefix: `teacher-${tag}-`,
  now: new Date(),
  seed,
});
await database.close();
console.log(
  `Seeded ${seeded.childCount} children in ${seeded.householdCount} households with ${seeded.contactCount} contacts, ` +
    `${kiosks} kiosks and ${teachers} teachers in ${Math.round(performance.now() - started)} ms.`,
);
console.log(`Home ${seeded.homeId}; admin login ${seeded.logins[0]?.username} / ${seeded.logins[0]?.password}`);
