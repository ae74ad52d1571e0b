import { useEffect, useState } from 'react';
import { App, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/http.ts';
import { useErrorText } from '../../shared/use-error-text.ts';

/** The browser can receive Web Push here (a service worker and the Push API on a secure origin). */
const supported = () =>
  typeof window !== 'undefined' && window.isSecureContext && 'serviceWorker' in navigator && 'PushManager' in window;

const keyBytes = (b64url: string) => {
  const raw = atob(b64url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (b64url.length % 4)) % 4));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
};

/** How long the browser's push service may take to subscribe: with none reachable (offline, blocked) Chromium waits for ever. */
const subscribeTimeout = 10_000;

/** A failure the switch explains in its own words (the browser's are English and misleading: "permission denied" in a private window). */
class PushError extends Error {}

/** Subscribes with the installation's key, or fails with `failed` when the browser cannot (private window, no push service). */
async function subscribe(reg: ServiceWorkerRegistration, publicKey: string, failed: string): Promise<PushSubscription> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), subscribeTimeout);
      }),
    ]);
  } catch {
    throw new PushError(failed);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * "Push notifications on this device" (a setting in the bell's panel): subscribes this browser
 * with the installation's VAPID key, so new assignments and mentions reach it while the console
 * is closed; off unsubscribes it.
 */
export function PushToggle() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [on, setOn] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!supported()) return;
    void navigator.serviceWorker.ready
      .then((reg) => reg.pushManager.getSubscription())
      .then((sub) => setOn(!!sub))
      .catch(() => setOn(false));
  }, []);
  if (!supported())
    return <Typography.Text type="secondary">{t('tickets.notifications.pushUnsupported')}</Typography.Text>;

  const change = async (want: boolean) => {
    setBusy(true);
    try {
      const reg = await navigator.serviceWorker.ready;
      const current = await reg.pushManager.getSubscription();
      if (want) {
        if ((await Notification.requestPermission()) !== 'granted')
          throw new PushError(t('tickets.notifications.pushDenied'));
        const { publicKey } = await api.get<{ publicKey: string }>('/api/push/key');
        const sub = current ?? (await subscribe(reg, publicKey, t('tickets.notifications.pushFailed')));
        await api.post('/api/push/subscriptions', sub.toJSON());
      } else if (current) {
        await api.post('/api/push/subscriptions/remove', { endpoint: current.endpoint }).catch(() => undefined);
        await current.unsubscribe();
      }
      setOn(want);
    } catch (e) {
      void message.error(e instanceof PushError ? e.message : errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <label style={{ display: 'flex', alignItems: 'center', gap: 8, fontSize: 12 }}>
      <Switch
        size="small"
        checked={!!on}
        loading={busy || on === null}
        onChange={(v) => void change(v)}
        data-testid="push-toggle"
      />
      {t('tickets.notifications.push')}
    </label>
  );
}
