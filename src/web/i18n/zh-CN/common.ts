/** Simplified Chinese: the language switch, navigation, header, shared words, error pages and API error messages. */
export const language = {
  label: '语言',
  'zh-CN': '简体中文',
  en: 'English',
} as const;

export const nav = {
  inbox: '收件箱',
  tickets: '工单',
  customers: '客户',
  knowledge: '知识库',
  reports: '报表',
  ops: '运维',
  monitoring: '监控',
  warRoom: '作战室',
  incidents: '故障',
  opsOverview: '运维总览',
  reportProblem: '报障',
  incidentSettings: '故障设置',
  backups: '备份',
  settings: '设置',
  workspace: '工作区',
  users: '用户',
  tokens: 'API 令牌',
  audit: '审计日志',
  workspaces: '工作区管理',
  security: '安全',
  inboxes: '渠道',
  cannedReplies: '快捷回复',
  labels: '会话标签',
  sla: 'SLA 策略',
  store: '店铺对接',
  routing: '分配与满意度',
  ticketSettings: '工单设置',
  privacy: '数据保留',
} as const;

export const header = {
  switchWorkspace: '切换工作区',
  switched: '已切换到工作区「{{name}}」',
  security: '账号安全',
  signOut: '退出登录',
  collapse: '收起菜单',
  openMenu: '打开菜单',
  expand: '展开菜单',
} as const;

export const common = {
  save: '保存',
  saved: '已保存',
  cancel: '取消',
  confirm: '确定',
  create: '新建',
  edit: '编辑',
  close: '关闭',
  copy: '复制',
  copied: '已复制',
  actions: '操作',
  yes: '是',
  never: '从未',
  retry: '重试',
  search: '查询',
  reset: '重置',
  loadMore: '加载更多',
  loadingMore: '正在加载…',
  noMore: '没有更多了',
  searchKind: {
    ticket_number: '工单号',
    order_no: '订单号',
    phone: '手机号',
    email: '邮箱',
    name: '客户姓名',
    external: '店铺用户 ID',
    text: '全文',
  },
  searchNote: {
    exact: '按{{kind}}精确匹配',
    text: '全文搜索 · 最新的匹配在前',
  },
  backHome: '返回首页',
  timeIn: '时间（{{zone}}）',
  you: '（你）',
  /** Saved views of the tickets list and the inbox. */
  savedViews: {
    saveCurrent: '保存为视图',
    saveTitle: '把当前筛选条件保存为视图',
    editTitle: '编辑视图',
    name: '视图名称',
    nameRequired: '请输入视图名称',
    shared: '团队共享',
    sharedHelp: '开启后工作区所有成员都能看到这个视图',
    savedDone: '视图已保存',
    delete: '删除视图',
    deleteConfirm: '确定删除视图「{{name}}」？',
  },
} as const;

export const notBuilt = {
  title: '即将推出',
  description: '「{{page}}」模块尚在开发中，目前还没有任何功能或数据。',
  /** What each page that is not built yet will do (its issue is open). */
  coming: {
    knowledge: '即将推出：知识库与智能机器人——常见问题、意图识别、订单查询，答不了时转人工。',
    reports: '即将推出：客服分析报表——响应时长、解决率、满意度、热点问题，按月生成。',
    monitoring: '即将推出：7×24 监控——CPU、内存、磁盘、响应时间、错误率、在线人数和告警规则。',
    incidents: '即将推出：故障管理——分级、响应与解决时限、升级、通知、根因与扣款计算。',
    backups: '即将推出：备份与恢复——每日增量、每周全量、异地副本，以及季度恢复演练。',
  },
} as const;

export const forbidden = {
  title: '403 无权访问',
  description: '你的角色没有访问此页面的权限。如需访问，请联系工作区管理员。',
} as const;

export const notFound = {
  title: '404 页面不存在',
  description: '你访问的页面不存在。',
} as const;

export const loadError = {
  title: '加载失败',
} as const;

export const errors = {
  invalid_credentials: '邮箱或密码错误（多次失败后账号会被暂时锁定，账号本人会收到邮件通知）',
  totp_required: '请输入身份验证器中的 6 位动态码',
  invalid_totp: '动态码错误，请重试',
  account_locked: '账号已被临时锁定（多次登录失败），请稍后再试',
  account_disabled: '账号已被停用，请联系管理员',
  rate_limited: '操作过于频繁，请稍后再试',
  unauthenticated: '登录已失效，请重新登录',
  forbidden: '没有执行此操作的权限',
  not_found: '资源不存在或已被删除',
  conflict: '数据冲突（可能已存在）',
  wrong_password: '当前密码不正确',
  invalid_input: '提交的内容不符合要求',
  invalid_json: '提交的内容不符合要求',
  bad_request: '请求有误',
  csrf_failed: '安全校验失败，请刷新页面后重试',
  invalid_token: 'API 令牌无效、已吊销或已过期',
  version_conflict: '工单已被他人修改，请刷新后重试',
  illegal_transition: '不允许这样变更工单状态',
  fields_required: '解决工单前还有必填字段未填写',
  invalid_fields: '自定义字段的值不正确',
  invalid_type: '工单类型不存在或已停用',
  invalid_field: '字段设置不正确（下拉字段至少需要一个选项）',
  invalid_calendar: '工作日历设置有误',
  invalid_policy: 'SLA 策略设置有误',
  password_change_required: '请先修改临时密码',
  session_required: '此操作需要在控制台登录后进行，API 令牌不能执行',
  quota_exceeded: '工作区的文件存储空间已满，请联系管理员',
  network_error: '无法连接服务器，请检查网络',
  internal: '服务器内部错误，请稍后再试',
  unknown: '操作失败（{{code}}）',
  requestId: '请求编号：{{id}}',
} as const;
