import { CATALOGS, type Locale } from '@affection/ui';

/** The kiosk's first screen: the product's name and what this face is for. */
export function App({ locale }: { locale: Locale }) {
  const messages = CATALOGS[locale];
  return (
    <main>
      <h1>{messages['kiosk.title']}</h1>
      <p>{messages['kiosk.tagline']}</p>
    </main>
  );
}
