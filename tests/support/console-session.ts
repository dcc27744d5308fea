import { DEMO_LOGINS } from '@affection/db';
import { CATALOGS } from '@affection/ui';
import type { Page } from 'playwright-core';

/** The duty teacher's old PC: the console's screens are looked at (and audited) at this size first. */
export const CONSOLE_PC = { width: 1366, height: 768 };
/** The old tablet (and 1024-wide PC) the console must also fit without sideways scrolling. */
export const CONSOLE_TABLET = { width: 1024, height: 768 };

/** A member of staff's sign-in, as the demo data seeds it. */
export interface StaffLogin {
  login: string;
  password: string;
}

/** The demo Home's duty teacher (a teacher, not an admin). */
export const DEMO_TEACHER: StaffLogin = { login: 'teacher1', password: DEMO_LOGINS.teacherPassword };
/** The demo Home's admin (之家管理员). */
export const DEMO_ADMIN: StaffLogin = { login: DEMO_LOGINS.admin.username, password: DEMO_LOGINS.admin.password };

/**
 * Signs in on the console's sign-in screen (already open in `page`) the way a teacher does — by the
 * Chinese labels — and waits for the navigation of the signed-in console.
 */
export async function signInToConsole(page: Page, who: StaffLogin): Promise<void> {
  const zh = CATALOGS['zh-CN'];
  await page.getByLabel(zh['console.signin.login'], { exact: true }).fill(who.login);
  await page.getByLabel(zh['console.signin.password'], { exact: true }).fill(who.password);
  await page.getByRole('button', { name: zh['console.signin.submit'] }).click();
  await page.getByRole('navigation').first().waitFor();
}
