/**
 * screens/reports.js — placeholder registered by the core; the screens helper (branch
 * console-screens) replaces this file with the real screen.
 */

import { h } from '../core/dom.js';
import { registerScreen } from '../core/router.js';
import { t } from '../core/i18n.js';

registerScreen({
  route: '/reports',
  nav: 'reports',
  titleKey: 'nav.reports',
  render(root) {
    root.appendChild(h('h1', {}, t('nav.reports')));
  },
});
