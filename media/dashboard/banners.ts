// The banners under the tab strip: one for the worst thing about the connection or the backend
// right now (redrawn from scratch each time), and transient errors of failed requests, which stay
// until dismissed or replaced by the next one.

import type { AppContext } from './context';
import { button, h, icon } from './dom';
import type { Connection } from './messageLoop';

const SUPPORTED_PLATFORMS = ['linux', 'darwin', 'win32'];

export function renderBanners(banners: HTMLElement, connection: Connection, ctx: AppContext): void {
  for (const b of [...banners.children]) if (!b.classList.contains('transient')) b.remove();
  const add = (kind: 'info' | 'warn' | 'error', iconName: string, text: string, ...actions: HTMLElement[]): void => {
    banners.append(
      h(
        'div',
        { class: `banner ${kind}`, attrs: { role: kind === 'error' ? 'alert' : 'status' } },
        icon(iconName),
        h('span', { class: 'banner-text', text }),
        ...actions,
      ),
    );
  };
  const logs = (): HTMLButtonElement => button('Show Logs', { icon: 'output', onClick: () => void ctx.request('showLogs', {}) });
  if (connection === 'connecting') return;
  if (connection === 'slow') {
    add('warn', 'loading', 'Waiting for the Vitals backend to answer. If this stays, the logs say why.', logs());
    return;
  }
  if (connection === 'restarting') {
    add('warn', 'sync', 'The Vitals backend is restarting. The charts reload as soon as it is back.', logs());
    return;
  }
  const s = ctx.status;
  const platform = ctx.info?.platform;
  if (platform && !SUPPORTED_PLATFORMS.includes(platform)) {
    add(
      'error',
      'circle-slash',
      `Vitals cannot sample this platform (${platform}). History recorded elsewhere can still be viewed.`,
      logs(),
    );
    return;
  }
  if (!s) {
    add('info', 'loading', 'The Vitals backend is starting…');
    return;
  }
  if (s.role === 'stopped') {
    add('error', 'error', s.problem ? `Vitals is not recording: ${s.problem}` : 'The Vitals backend has stopped.', logs());
    return;
  }
  if (s.problem) add('warn', 'warning', s.problem, logs());
  if (s.role === 'recorder' && !s.recording)
    add(
      'warn',
      'debug-pause',
      'Recording is paused: no new samples are stored. The charts show what was recorded before.',
      button('Resume Recording', { kind: 'primary', icon: 'play', onClick: () => ctx.setRecording(true) }),
    );
}

/** A failed request's error, replacing the previous one. */
export function showError(banners: HTMLElement, text: string): void {
  const el = h('div', { class: 'banner error', attrs: { role: 'alert' } }, icon('error'), h('span', { class: 'banner-text', text }));
  el.append(button('Dismiss', { kind: 'icon', icon: 'close', onClick: () => el.remove() }));
  banners.querySelector('.banner.error.transient')?.remove();
  el.classList.add('transient');
  banners.append(el);
}
