import { pickLocale, translator } from '@affection/ui';
import { render } from 'preact';
import { App } from './app.tsx';
import { unlockAudioOnTap } from './audio/kiosk-audio.ts';
import { warmUpSpeech } from './audio/say.ts';
import './styles.css';

const locale = pickLocale(navigator.languages);
document.documentElement.lang = locale;
document.title = translator(locale)('kiosk.title');
// A kiosk is touch only: no long-press menu, no dragging pictures out.
document.addEventListener('contextmenu', (event) => event.preventDefault());
document.addEventListener('dragstart', (event) => event.preventDefault());
unlockAudioOnTap();
warmUpSpeech();
const root = document.getElementById('app');
if (root) render(<App locale={locale} />, root);
