import { CATALOGS, pickLocale } from '@affection/ui';
import { render } from 'preact';
import { App } from './app.tsx';

const locale = pickLocale(navigator.languages);
document.documentElement.lang = locale;
document.title = CATALOGS[locale]['kiosk.title'];
const root = document.getElementById('app');
if (root) render(<App locale={locale} />, root);
