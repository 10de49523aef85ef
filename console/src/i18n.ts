import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { catalogue, type Language } from './messages.ts';

const stored = localStorage.getItem('ringpath.language');
const initial: Language = stored === 'uk' || stored === 'en' ? stored : navigator.language.startsWith('uk') ? 'uk' : 'en';

void i18next.use(initReactI18next).init({
  resources: { en: { translation: catalogue.en }, uk: { translation: catalogue.uk } },
  lng: initial,
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnObjects: true,
});
document.documentElement.lang = initial;

export function setLanguage(lang: Language): void {
  localStorage.setItem('ringpath.language', lang);
  document.documentElement.lang = lang;
  void i18next.changeLanguage(lang);
}

export default i18next;
