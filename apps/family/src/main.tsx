import { pickLocale, translator } from '@affection/ui';
import { render } from 'preact';
import { App, browserEnvironment } from './app.tsx';

const locale = pickLocale(navigator.languages ?? [navigator.language]);
document.documentElement.lang = locale;
document.title = translator(locale)('family.title');
const root = document.getElementById('app');
if (root) render(<App env={browserEnvironment(locale)} />, root);
