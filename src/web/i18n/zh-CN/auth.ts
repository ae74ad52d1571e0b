/** Simplified Chinese: sign-in, password change and account security (two-factor sign-in). */
export const login = {
  subtitle: '登录到 Kefu 客服控制台',
  email: '邮箱',
  emailRequired: '请输入邮箱',
  emailInvalid: '邮箱格式不正确',
  password: '密码',
  passwordRequired: '请输入密码',
  totp: '动态验证码',
  totpHint: '已开启两步验证，请输入身份验证器 App 中的 6 位动态码。',
  totpInvalid: '请输入 6 位数字',
  submit: '登录',
  back: '返回',
  footer: 'Kefu · 开源客服平台',
} as const;

export const password = {
  forcedTitle: '请设置新密码',
  forcedDescription: '这是你第一次登录或密码已被管理员重置，继续使用前需要设置一个只有你知道的新密码。',
  changeTitle: '修改密码',
  current: '当前密码',
  currentRequired: '请输入当前密码',
  new: '新密码',
  newRequired: '请输入新密码',
  newTooShort: '至少 10 个字符',
  confirm: '确认新密码',
  mismatch: '两次输入的密码不一致',
  submit: '修改密码',
  changed: '密码已修改',
  revokeTokens: '同时吊销我的全部 API 令牌（推荐）',
  revokeTokensHelp: '密码可能已泄露时，令牌也可能已泄露。保留令牌会记入审计日志。',
  changedRevoked: '密码已修改，已吊销 {{count}} 个 API 令牌',
} as const;

export const security = {
  title: '账号安全',
  account: '账号信息',
  name: '姓名',
  email: '邮箱',
  role: '角色',
  workspace: '工作区',
  lastLogin: '上次登录',
  totpTitle: '两步验证（TOTP）',
  totpOn: '已开启',
  totpOff: '未开启',
  totpIntro:
    '开启后，登录时除密码外还需要输入身份验证器 App（如 Google Authenticator、Microsoft Authenticator）生成的 6 位动态码。',
  totpSetup: '开始设置',
  totpStep1: '1. 在身份验证器 App 中手动添加账号，输入以下密钥：',
  totpStep1Url: '或者使用以下 otpauth 链接：',
  totpStep2: '2. 输入 App 中显示的 6 位动态码以完成开启：',
  code: '动态码',
  enable: '开启两步验证',
  enabled: '两步验证已开启',
  disableHint: '关闭前请输入当前密码确认。',
  confirmHint: '为保护账号，请先输入当前密码确认。',
  disable: '关闭两步验证',
  disabled: '两步验证已关闭',
} as const;

/** The avatar shoppers see (defect 12). */
export const avatar = {
  title: '头像（顾客可见）',
  help: '顾客在聊天中看到的头像，显示在「{{name}}」的回复旁和聊天窗口顶部。可上传图片，或使用姓名首字加颜色。',
  upload: '上传图片',
  tooLarge: '图片不能超过 1 MiB',
  initials: '使用首字头像：',
  useColor: '使用这个颜色',
  saved: '头像已更新',
} as const;
