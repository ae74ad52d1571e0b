/**
 * Outgoing e-mail (notifications today; the e-mail channel later). Messages are queued as jobs
 * (`mail.send`) so a restart or an unreachable SMTP server delays them without losing them;
 * the worker delivers with retries and back-off. Without `smtpUrl` nothing is queued.
 */
import type { Transporter } from 'nodemailer';
import type { Services } from '../context.ts';
import { enqueue } from './jobs/queue.ts';
import type { JobWorker } from './jobs/worker.ts';

export type Mail = { to: string; subject: string; text: string };

export async function queueMail(s: Services, workspaceId: string | null, mail: Mail): Promise<boolean> {
  if (!s.config.smtpUrl) return false;
  await enqueue(s.db, s.clock, { type: 'mail.send', payload: mail, workspaceId, maxAttempts: 8 });
  return true;
}

export function registerMailJobs(worker: JobWorker, s: Services): void {
  if (!s.config.smtpUrl) return;
  const smtpUrl = s.config.smtpUrl;
  // nodemailer loads with the first mail (not with the server); one transport per process.
  let transport: Transporter | undefined;
  worker.register('mail.send', async (job) => {
    const mail = job.payload as Mail;
    transport ??= (await import('nodemailer')).default.createTransport(smtpUrl);
    await transport.sendMail({ from: s.config.mailFrom, to: mail.to, subject: mail.subject, text: mail.text });
  });
}
