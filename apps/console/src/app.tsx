import { CATALOGS, type Locale } from '@affection/ui';

/** The console's first screen: the product's name and what this face is for. */
export function App({ locale }: { locale: Locale }) {
  const messages = CATALOGS[locale];
  return (
    <main>
      <h1>{messages['console.title']}</h1>
      <p>{messages['console.tagline']}</p>
    </main>
  );
}
