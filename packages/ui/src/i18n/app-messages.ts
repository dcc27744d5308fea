/** The front ends that ship messages of the catalogs. */
export type MessageApp = 'kiosk' | 'family' | 'console';

/**
 * Which messages each front end ships: its own area, and the shared ones (the product's name, errors a server reason
 * names, validation messages of fields). The catalogs hold every app's words; an app's bundle keeps only these, so
 * the console's words never weigh on the kiosk's or the parents' first screen.
 */
export const APP_MESSAGE_PREFIXES: Record<MessageApp, readonly string[]> = {
  kiosk: ['app.', 'kiosk.', 'error.', 'validation.'],
  family: ['app.', 'family.', 'error.', 'validation.'],
  console: ['app.', 'console.', 'error.', 'validation.', 'pairing.'],
};

/** Whether `app` ships the message `key`. */
export function appShipsMessage(app: MessageApp, key: string): boolean {
  return APP_MESSAGE_PREFIXES[app].some((prefix) => key.startsWith(prefix));
}

/** The part of a catalog `app` ships (see {@link APP_MESSAGE_PREFIXES}). */
export function appMessages(app: MessageApp, catalog: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(catalog).filter(([key]) => appShipsMessage(app, key)));
}

/** The little of a Vite plugin that {@link appCatalogPlugin} is (so this package needs no Vite of its own). */
export interface CatalogPlugin {
  name: string;
  enforce: 'pre';
  transform(code: string, id: string): string | null;
}

const CATALOG_FILE = /[\\/]packages[\\/]ui[\\/]src[\\/]i18n[\\/](zh-CN|en)\.json$/;

/**
 * A Vite plugin for `app`'s build: the catalogs it imports keep only the messages it ships.
 * @example plugins: [preact(), appCatalogPlugin('kiosk')]
 */
export function appCatalogPlugin(app: MessageApp): CatalogPlugin {
  return {
    name: `affection-catalogs-${app}`,
    enforce: 'pre',
    transform(code, id) {
      if (!CATALOG_FILE.test(id.split('?')[0] ?? id)) return null;
      return JSON.stringify(appMessages(app, JSON.parse(code) as Record<string, string>));
    },
  };
}
