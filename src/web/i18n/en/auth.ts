/** English: sign-in, password change and account security (two-factor sign-in). */
import type { Messages } from '../zh-CN.ts';

export const login: Messages['login'] = {
  subtitle: 'Sign in to the Kefu console',
  email: 'E-mail',
  emailRequired: 'Enter your e-mail',
  emailInvalid: 'Not a valid e-mail address',
  password: 'Password',
  passwordRequired: 'Enter your password',
  totp: 'Verification code',
  totpHint: 'Two-step verification is on: enter the 6-digit code from your authenticator app.',
  totpInvalid: 'Enter 6 digits',
  submit: 'Sign in',
  back: 'Back',
  footer: 'Kefu · open-source customer service',
};

export const password: Messages['password'] = {
  forcedTitle: 'Set a new password',
  forcedDescription:
    'This is your first sign-in or an administrator reset your password. Choose a new password only you know before you continue.',
  changeTitle: 'Change password',
  current: 'Current password',
  currentRequired: 'Enter your current password',
  new: 'New password',
  newRequired: 'Enter a new password',
  newTooShort: 'At least 10 characters',
  confirm: 'Confirm new password',
  mismatch: 'The passwords do not match',
  submit: 'Change password',
  changed: 'Password changed',
  revokeTokens: 'Also revoke all my API tokens (recommended)',
  revokeTokensHelp:
    'If your password may have leaked, your tokens may have too. Keeping them is recorded in the audit log.',
  changedRevoked: 'Password changed; {{count}} API token(s) revoked',
};

export const security: Messages['security'] = {
  title: 'Account security',
  account: 'Account',
  name: 'Name',
  email: 'E-mail',
  role: 'Role',
  workspace: 'Workspace',
  lastLogin: 'Last sign-in',
  totpTitle: 'Two-step verification (TOTP)',
  totpOn: 'On',
  totpOff: 'Off',
  totpIntro:
    'When on, signing in also asks for a 6-digit code from an authenticator app (such as Google Authenticator or Microsoft Authenticator).',
  totpSetup: 'Set up',
  totpStep1: '1. In your authenticator app, add an account manually with this secret:',
  totpStep1Url: 'or use this otpauth link:',
  totpStep2: '2. Enter the 6-digit code the app shows to finish:',
  code: 'Code',
  enable: 'Turn on two-step verification',
  enabled: 'Two-step verification is on',
  disableHint: 'Enter your current password to confirm.',
  confirmHint: 'To protect your account, first confirm with your current password.',
  disable: 'Turn off two-step verification',
  disabled: 'Two-step verification is off',
};

/** The avatar shoppers see (defect 12). */
export const avatar: Messages['avatar'] = {
  title: 'Avatar (seen by shoppers)',
  help: 'Shown to shoppers beside the replies of "{{name}}" and at the top of the chat. Upload an image, or use your initials on a colour.',
  upload: 'Upload an image',
  tooLarge: 'The image must be 1 MiB or smaller',
  initials: 'Use initials:',
  useColor: 'Use this colour',
  saved: 'Avatar updated',
};
