import type { Db } from '../database.ts';
import { type SeededHome, seedHome } from './seed-home.ts';

/** The demo logins, documented in the README; for local demos only. */
export const DEMO_LOGINS = {
  admin: { username: 'admin', password: 'qinqing-admin' },
  teacherPassword: 'qinqing-teacher',
} as const;

/**
 * The demo Home that `npm start` seeds into an empty database: 2 kiosks, 6 teachers on a weekday
 * rota, 60 children in about 45 households, parents in several cities and one abroad
 * (Europe/Madrid), some phone-only contacts, open Mon–Fri 12:00–13:30 and 16:30–18:00 Asia/Shanghai.
 */
export function seedDemoHome(
  db: Db,
  options: { hashPassword: (password: string) => Promise<string>; now: Date },
): Promise<SeededHome> {
  return seedHome(db, {
    name: '青山镇中心小学留守儿童之家',
    children: 60,
    kiosks: 2,
    teachers: 6,
    hashPassword: options.hashPassword,
    adminLogin: DEMO_LOGINS.admin,
    teacherPassword: DEMO_LOGINS.teacherPassword,
    now: options.now,
    seed: 20260901,
  });
}
