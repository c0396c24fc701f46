/** screens/ticket.js — one ticket (work in progress). */

import { h } from '../core/dom.js';
import { registerStrings, t } from '../core/i18n.js';
import { registerScreen } from '../core/router.js';

registerStrings({ en: { 'ticket.title': 'Ticket' }, fa: { 'ticket.title': 'تیکت' } });

registerScreen({
  route: '/tickets/:id',
  nav: null,
  titleKey: 'ticket.title',
  render(root, params) {
    root.appendChild(h('h1', {}, t('ticket.title'), ' ', params.id));
  },
});
