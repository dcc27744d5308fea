import type { MessageKey } from '@affection/ui';
import type { ComponentType } from 'preact';
import type { Me } from './console-api.ts';
import type { ScreenProps } from './screen-props.ts';

/** Who a screen is for: a Home's teacher or admin, or a district admin (区县). */
export type ScreenRole = 'teacher' | 'admin' | 'district-admin';

/** One screen of the console. */
export interface ScreenEntry {
  /** Hash path pattern: `/calendar`, `/children/:id`. */
  path: string;
  /** Its title (navigation and the page title). */
  titleKey: MessageKey;
  /** Who may open it (a district admin acting in a Home also opens the admin's screens: {@link canOpen}). */
  roles: readonly ScreenRole[];
  /** Shown in the navigation (a record page, reached from a list, is not). Default true. */
  inNav?: boolean;
  /**
   * Where the navigation shows it: `daily` (the first row: the day's calls and the children) or
   * `manage` (the second row, headed 管理: running the Home — staff, rota, hours, kiosks…). Default `daily`.
   */
  group?: 'daily' | 'manage';
  /** Loads the screen's module; its default export is the component. */
  load: () => Promise<{ default: ComponentType<ScreenProps> }>;
}

/**
 * The navigation table: one entry per screen, in the order of the navigation. The first entry this person may open
 * is their landing page (区县 for a district admin, 今日通话 for a Home's staff). Screens load on first visit, so the first screen stays small.
 */
export const SCREENS: readonly ScreenEntry[] = [
  {
    path: '/district',
    titleKey: 'console.nav.district',
    roles: ['district-admin'],
    load: () => import('../screens/district-screen.tsx'),
  },
  {
    path: '/today',
    titleKey: 'console.nav.today',
    roles: ['teacher', 'admin'],
    load: () => import('../screens/today-screen.tsx'),
  },
  {
    path: '/calendar',
    titleKey: 'console.nav.calendar',
    roles: ['teacher', 'admin'],
    load: () => import('../screens/calendar-screen.tsx'),
  },
  {
    path: '/proposals',
    titleKey: 'console.nav.proposals',
    roles: ['teacher', 'admin'],
    load: () => import('../screens/proposals-screen.tsx'),
  },
  {
    path: '/children',
    titleKey: 'console.nav.children',
    roles: ['teacher', 'admin'],
    load: () => import('../screens/children-screen.tsx'),
  },
  {
    path: '/children/:id',
    titleKey: 'console.nav.child-record',
    roles: ['teacher', 'admin'],
    inNav: false,
    load: () => import('../screens/child-record-screen.tsx'),
  },
  {
    path: '/cards',
    titleKey: 'console.nav.cards',
    roles: ['teacher', 'admin'],
    load: () => import('../screens/contact-cards-screen.tsx'),
  },
  {
    path: '/outbox',
    titleKey: 'console.nav.outbox',
    roles: ['teacher', 'admin'],
    load: () => import('../screens/outbox-screen.tsx'),
  },
  {
    path: '/reports',
    titleKey: 'console.nav.reports',
    roles: ['teacher', 'admin'],
    load: () => import('../screens/reports-screen.tsx'),
  },
  {
    path: '/reports/print/:ledger',
    titleKey: 'console.nav.reports',
    roles: ['teacher', 'admin'],
    inNav: false,
    load: () => import('../screens/ledger-print-screen.tsx'),
  },
  {
    path: '/rota',
    titleKey: 'console.nav.rota',
    roles: ['teacher', 'admin'],
    group: 'manage',
    load: () => import('../screens/rota-screen.tsx'),
  },
  {
    path: '/pairings',
    titleKey: 'console.nav.pairings',
    roles: ['teacher', 'admin'],
    group: 'manage',
    load: () => import('../screens/pairings-screen.tsx'),
  },
  {
    path: '/hours',
    titleKey: 'console.nav.hours',
    roles: ['teacher', 'admin'],
    group: 'manage',
    load: () => import('../screens/hours-screen.tsx'),
  },
  {
    path: '/staff',
    titleKey: 'console.nav.staff',
    roles: ['admin'],
    group: 'manage',
    load: () => import('../screens/staff-screen.tsx'),
  },
  {
    path: '/kiosks',
    titleKey: 'console.nav.kiosks',
    roles: ['admin'],
    group: 'manage',
    load: () => import('../screens/kiosks-screen.tsx'),
  },
  {
    path: '/queues',
    titleKey: 'console.nav.queues',
    roles: ['admin'],
    group: 'manage',
    load: () => import('../screens/queues-screen.tsx'),
  },
  {
    path: '/audit',
    titleKey: 'console.nav.audit',
    roles: ['admin'],
    group: 'manage',
    load: () => import('../screens/audit-screen.tsx'),
  },
  {
    path: '/settings',
    titleKey: 'console.nav.settings',
    roles: ['admin'],
    group: 'manage',
    load: () => import('../screens/settings-screen.tsx'),
  },
  {
    path: '/account',
    titleKey: 'console.nav.account',
    roles: ['teacher', 'admin'],
    inNav: false,
    load: () => import('../screens/account-screen.tsx'),
  },
];

/** Whether `me` may open a screen: by their role, and a district admin acting in a Home as that Home's admin. */
export function canOpen(entry: ScreenEntry, me: Me): boolean {
  if (entry.roles.includes(me.role)) return true;
  return me.role === 'district-admin' && me.homeId !== null && entry.roles.includes('admin');
}

/** The console's name for this person: the county office's for a district admin, the duty teachers' otherwise. */
export function consoleTitleKey(me: Pick<Me, 'role'>): 'console.title' | 'console.title.district' {
  return me.role === 'district-admin' ? 'console.title.district' : 'console.title';
}

/** The signed-in person as a Home's screens see them: a district admin acting in a Home is its admin there. */
export function homeViewOf(me: Me): Me {
  return me.role === 'district-admin' && me.homeId !== null ? { ...me, role: 'admin' } : me;
}
