/**
 * screens/settings.js — placeholder registered by the core; the screens helper (branch
 * console-screens) replaces this file with the real screen.
 */

import { h } from '../core/dom.js';
import { registerScreen } from '../core/router.js';
import { t } from '../core/i18n.js';

registerScreen({
  route: '/settings',
  nav: 'settings',
  titleKey: 'nav.settings',
  render(root) {
    root.appendChild(h('h1', {}, t('nav.settings')));
  },
});
