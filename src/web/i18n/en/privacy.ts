import type { Messages } from '../zh-CN.ts';

export const privacy: Messages['privacy'] = {
  title: 'Personal information (PIPL)',
  intro:
    "On a shopper's request, export their personal information (a ZIP of JSON and files) or erase it for good: profile, identities, message content, files and search indexes are wiped; the audit log keeps only who did it and when.",
  export: 'Export personal data',
  erase: 'Erase personal data',
  exported: 'Exported; the ZIP file is downloading',
  erased: "The shopper's personal data is erased",
  eraseTitle: "Erase this shopper's personal data?",
  eraseWarning:
    "This cannot be undone: the profile, identities, every message's content, files and ticket texts are wiped for good.",
  typeToConfirm: 'Type “{{word}}” to confirm.',
  confirmWord: 'ERASE',
  eraseConfirm: 'Erase for good',
  history: 'History',
  noRequests: 'No exports or erasures yet',
  when: 'When',
  kind: 'Request',
  counts: 'Counts',
  kinds: { export: 'Export', erasure: 'Erasure' },
  countNames: {
    identities: 'identities',
    conversations: 'conversations',
    messages: 'messages',
    attachments: 'files',
    tickets: 'tickets',
    orders: 'orders',
    botTurns: 'bot questions',
  },
  retentionTitle: 'Data retention',
  retentionSubtitle:
    'How many days each kind of data is kept; empty keeps it forever. The purge runs nightly and is recorded in the audit log.',
  retentionKinds: {
    conversations: 'Conversation messages (resolved conversations)',
    attachments: 'Files',
    audit: 'Audit log',
    metrics: 'Monitoring metrics',
  },
  minDays: 'At least {{days}} days',
  forever: 'Forever',
  days: 'days',
  retentionSaved: 'Retention rules saved',
  retentionNote: 'An expired conversation loses its messages and files; the conversation itself stays for reports.',
};
