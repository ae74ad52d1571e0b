/** A real SMTP server on a free port that keeps what it receives (tests of e-mail going out). */
import { SMTPServer } from 'smtp-server';

export type CapturedMail = { to: string; data: string };

export async function captureSmtp(): Promise<{ url: string; received: CapturedMail[]; close(): Promise<void> }> {
  const received: CapturedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData(stream, session, cb) {
      let data = '';
      stream.on('data', (c: Buffer) => (data += c.toString()));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), data });
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  const port = (smtp.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((r) => smtp.close(() => r())),
  };
}
