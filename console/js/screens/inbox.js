/** screens/inbox.js — the inbox (work in progress). */

import { h } from '../core/dom.js';
import { registerStrings, t } from '../core/i18n.js';
import { registerScreen } from '../core/router.js';

registerStrings({ en: { 'inbox.title': 'Inbox' }, fa: { 'inbox.title': 'صندوق' } });

registerScreen({
  route: '/inbox',
  nav: 'inbox',
  titleKey: 'inbox.title',
  render(root) {
    root.appendChild(h('h1', {}, t('inbox.title')));
  },
});
