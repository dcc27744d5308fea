import * as schema from './schema/index.ts';

export { type Database, type DatabaseOptions, type Db, openDatabase } from './database.ts';
export { migrateDatabase, migrationsFolder } from './migrate-database.ts';
export { selectRows } from './select-rows.ts';
export { schema };
