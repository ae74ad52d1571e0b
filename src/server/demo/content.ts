/**
 * What the demo workspace holds: a shop's first week (zh-CN content). Data only; `seed.ts`
 * writes it through the same API and chat path the console and the widget use.
 */

export const demoAgents = [
  { key: 'lin', email: 'xiaolin@demo.kefu.local', name: '林小雨', displayName: '客服小雨', role: 'agent' },
  { key: 'zhou', email: 'zhoujie@demo.kefu.local', name: '周杰', displayName: '客服阿杰', role: 'agent' },
  { key: 'chen', email: 'chenhui@demo.kefu.local', name: '陈慧', displayName: '售后组长陈慧', role: 'supervisor' },
] as const;
export type AgentKey = (typeof demoAgents)[number]['key'] | 'admin';

/** Routing for the demo's people (issue 15): capacity per kind of work, skills, and the two groups (teams). */
export const demoRouting: { key: AgentKey; capacityChat: number; capacityTicket: number; skills: string[] }[] = [
  { key: 'lin', capacityChat: 5, capacityTicket: 20, skills: ['中文', 'English', '售前'] },
  { key: 'zhou', capacityChat: 5, capacityTicket: 20, skills: ['中文', '售后', '物流'] },
  { key: 'chen', capacityChat: 3, capacityTicket: 30, skills: ['中文', 'English', '售后', 'VIP'] },
  { key: 'admin', capacityChat: 2, capacityTicket: 10, skills: ['中文', 'VIP'] },
];
export const demoGroups: { name: string; supervisor: AgentKey; members: AgentKey[] }[] = [
  { name: '售后组', supervisor: 'chen', members: ['lin', 'zhou', 'chen'] },
  { name: '售前组', supervisor: 'chen', members: ['lin', 'admin'] },
];

export const demoCanned = [
  { shortCode: '问候', content: '您好，我是店铺客服，很高兴为您服务～请问有什么可以帮您？' },
  { shortCode: '物流', content: '已为您查询物流，包裹正在派送途中，预计 1–2 天内送达，请保持电话畅通。' },
  { shortCode: '退货', content: '支持 7 天无理由退货：请在订单页点击「申请售后」，选择退货原因并填写快递单号即可。' },
  { shortCode: '发票', content: '电子发票会在确认收货后 24 小时内发送到您的邮箱，也可在订单详情页下载。' },
  { shortCode: '结束', content: '感谢您的耐心，如还有其他问题随时联系我们，祝您生活愉快！' },
];

export type DemoCustomer = {
  key: string;
  name: string;
  phone?: string;
  email?: string;
  externalId?: string;
  tier?: string;
  notes?: string;
  tags?: string[];
};

export const demoCustomers: DemoCustomer[] = [
  {
    key: 'wang',
    name: '王丽',
    phone: '13812345678',
    email: 'wangli@example.com',
    externalId: 'u10086',
    tier: 'VIP',
    tags: ['复购', '美妆'],
  },
  { key: 'zhang', name: '张伟', phone: '13900001111', externalId: 'u10233', notes: '偏好电话联系，工作日晚上方便。' },
  { key: 'liu', name: '刘洋', email: 'liuyang@example.com', tier: 'VIP', tags: ['复购'] },
  { key: 'chen', name: '陈静', phone: '13611112222', tags: ['退货较多'] },
  { key: 'yang', name: '杨帆', phone: '13722223333', externalId: 'u10588' },
  { key: 'zhao', name: '赵敏', email: 'zhaomin@example.com' },
  {
    key: 'huang',
    name: '黄磊',
    phone: '15033334444',
    tier: 'enterprise', // shown as 企业客户 in Chinese, Business in English (the console's tier labels)
    notes: '公司采购，需开具增值税专用发票。',
    tags: ['批发', '需专票'],
  },
  { key: 'wu', name: '吴婷', phone: '18644445555' },
  { key: 'xu', name: '徐明', email: 'xuming@example.com' },
  { key: 'sun', name: '孙悦', phone: '17755556666' },
  { key: 'ma', name: '马超', phone: '13566667777', externalId: 'u10921', tags: ['复购'] },
  { key: 'zhu', name: '朱琳', email: 'zhulin@example.com' },
];

/** One line of a conversation: who says it, and how many minutes after the previous line. */
export type Line = { by: 'c' | AgentKey | 'note'; text: string; after?: number };
export type DemoConversation = {
  customer: string;
  /** Days (fractions allowed) before now that it started. */
  daysAgo: number;
  lines: Line[];
  assignee?: AgentKey;
  status: 'open' | 'pending' | 'resolved' | 'snoozed';
  /** Names from demoLabels. */
  labels?: string[];
};

/** Conversation labels of the demo workspace. */
export const demoLabels = [
  { name: '物流', color: 'blue' },
  { name: '退换货', color: 'orange' },
  { name: '发票', color: 'cyan' },
  { name: '投诉', color: 'magenta' },
  { name: '大客户', color: 'gold' },
] as const;

/**
 * Saved inbox views of the demo workspace, shared with everyone: returns by their label (any
 * status), and each agent's own conversations waiting for the shopper (label names: demoLabels).
 */
export const demoInboxViews = [
  { name: '退货退款', query: { status: 'any', labels: ['退换货'] } },
  { name: '我的待处理', query: { view: 'mine', status: 'pending' } },
] as const;

export const demoConversations: DemoConversation[] = [
  {
    customer: 'wang',
    labels: ['物流'],
    daysAgo: 0.02,
    status: 'open',
    lines: [
      { by: 'c', text: '你好，我的订单 TB20261203001 显示已发货三天了，物流一直没更新，能帮忙看下吗？' },
      { by: 'c', text: '快递单号是 SF1402877365012', after: 1 },
    ],
  },
  {
    customer: 'zhang',
    labels: ['退换货'],
    daysAgo: 0.05,
    status: 'open',
    assignee: 'lin',
    lines: [
      { by: 'c', text: '收到的羽绒服尺码偏小，想换大一码，可以吗？' },
      { by: 'lin', text: '您好张先生，可以换的～请问您现在穿的是 L 码吗？需要换成 XL 对吗？', after: 2 },
      { by: 'c', text: '对，L 换 XL，颜色不变（藏青色）', after: 3 },
      { by: 'note', text: '已确认 XL 藏青色有库存，等仓库回复换货单号。', after: 1 },
    ],
  },
  {
    customer: 'liu',
    labels: ['发票'],
    daysAgo: 0.3,
    status: 'pending',
    assignee: 'zhou',
    lines: [
      { by: 'c', text: '我想开公司抬头的发票，订单号 JD20261201778' },
      { by: 'zhou', text: '好的，请提供公司名称和纳税人识别号，我这边帮您申请。', after: 4 },
      { by: 'c', text: '上海云帆贸易有限公司，税号 91310115MA1K4XXXXX', after: 6 },
      { by: 'zhou', text: '已提交开票申请，电子发票会在 24 小时内发到您的邮箱，请注意查收。', after: 5 },
    ],
  },
  {
    customer: 'chen',
    daysAgo: 1.2,
    status: 'resolved',
    assignee: 'lin',
    lines: [
      { by: 'c', text: '请问双十二的满减活动可以和店铺优惠券叠加吗？' },
      { by: 'lin', text: '您好～满 300 减 40 可以和店铺券叠加使用，平台券和店铺券各限用一张哦。', after: 1 },
      { by: 'c', text: '明白了，谢谢！', after: 2 },
      { by: 'lin', text: '感谢您的耐心，如还有其他问题随时联系我们，祝您生活愉快！', after: 1 },
    ],
  },
  {
    customer: 'yang',
    labels: ['退换货'],
    daysAgo: 0.8,
    status: 'open',
    assignee: 'chen',
    lines: [
      { by: 'c', text: '收到的保温杯外包装破损，杯身有凹痕，怎么处理？' },
      { by: 'chen', text: '非常抱歉给您带来不好的体验！麻烦拍一下杯身和外箱的照片发给我们。', after: 3 },
      { by: 'c', text: '照片已经在订单评价里上传了，订单 TB20261130456', after: 20 },
    ],
  },
  {
    customer: 'zhao',
    labels: ['退换货'],
    daysAgo: 2.5,
    status: 'resolved',
    assignee: 'zhou',
    lines: [
      { by: 'c', text: '退货的快递已经寄出三天了，退款什么时候到账？' },
      { by: 'zhou', text: '仓库已签收您的退货，退款会在 1–3 个工作日原路退回，请留意支付宝通知。', after: 8 },
      { by: 'c', text: '好的，收到了，谢谢', after: 600 },
    ],
  },
  {
    customer: 'huang',
    labels: ['大客户', '发票'],
    daysAgo: 3.1,
    status: 'snoozed',
    assignee: 'chen',
    lines: [
      { by: 'c', text: '我们公司想批量采购 200 台加湿器，有企业价吗？需要开专票。' },
      { by: 'chen', text: '黄先生您好，企业采购可以享受阶梯价，我请大客户经理明天上午给您回电。', after: 10 },
      { by: 'note', text: '已转大客户经理，明早 10 点前跟进报价。', after: 2 },
    ],
  },
  {
    customer: 'wu',
    daysAgo: 0.15,
    status: 'open',
    lines: [{ by: 'c', text: '在吗？下单时地址填错了，能帮忙改成杭州市西湖区文三路 90 号吗？订单 TB20261205021' }],
  },
  {
    customer: 'xu',
    daysAgo: 4.2,
    status: 'resolved',
    assignee: 'lin',
    lines: [
      { by: 'c', text: '蓝牙耳机右耳没声音，刚买一周。' },
      { by: 'lin', text: '请先把耳机放回充电仓，长按仓上按钮 10 秒重置后再配对试试。', after: 3 },
      { by: 'c', text: '重置后好了！谢谢', after: 7 },
    ],
  },
  {
    customer: 'sun',
    labels: ['投诉', '物流'],
    daysAgo: 1.8,
    status: 'pending',
    assignee: 'lin',
    lines: [
      { by: 'c', text: '我要投诉，快递员没有送货上门，直接放在了驿站，也没打电话。' },
      { by: 'lin', text: '非常抱歉！我们已向快递公司反馈，并为您申请了 10 元无门槛券作为补偿。', after: 6 },
      { by: 'lin', text: '请问补偿方案您是否接受？', after: 1 },
    ],
  },
  {
    customer: 'ma',
    daysAgo: 5.5,
    status: 'resolved',
    assignee: 'zhou',
    lines: [
      { by: 'c', text: '你们的空气炸锅支持 7 天无理由吗？' },
      { by: 'zhou', text: '支持的，未使用且包装完好即可，运费险会自动理赔。', after: 2 },
    ],
  },
  {
    customer: 'zhu',
    daysAgo: 0.01,
    status: 'open',
    lines: [
      { by: 'c', text: '你好，想问一下这款连衣裙有没有 S 码现货？' },
      { by: 'c', text: '详情页：https://shop.example.com/item/88231', after: 1 },
    ],
  },
];

export type DemoTicket = {
  subject: string;
  description: string;
  daysAgo: number;
  customer?: string;
  /** Index into demoConversations: created from that conversation. */
  fromConversation?: number;
  type: string;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  status: 'new' | 'open' | 'pending' | 'on_hold' | 'solved' | 'closed';
  assignee?: AgentKey;
  orderNo?: string;
  /** Values of the seeded custom fields (carrier, refund_amount). */
  fields?: Record<string, string | number>;
  tags?: string[];
  reply?: string;
  note?: string;
};

export const demoTickets: DemoTicket[] = [
  {
    subject: '物流三天未更新：TB20261203001',
    description: '顺丰单号 SF1402877365012，揽收后无更新，客户为 VIP，需尽快联系快递核实。',
    daysAgo: 0.02,
    fromConversation: 0,
    type: 'logistics',
    priority: 'high',
    status: 'new',
    orderNo: 'TB20261203001',
    fields: { carrier: '顺丰' },
    tags: ['物流', 'VIP'],
  },
  {
    subject: '羽绒服换码 L → XL（藏青色）',
    description: '客户申请换货，等待仓库生成换货单。',
    daysAgo: 0.05,
    fromConversation: 1,
    type: 'after_sales',
    priority: 'normal',
    status: 'open',
    assignee: 'lin',
    tags: ['换货'],
    note: '仓库回复今天 17 点前出换货单。',
  },
  {
    subject: '开具增值税普通发票（公司抬头）',
    description: '订单 JD20261201778，抬头：上海云帆贸易有限公司。',
    daysAgo: 0.3,
    fromConversation: 2,
    type: 'invoice',
    priority: 'normal',
    status: 'pending',
    assignee: 'zhou',
    orderNo: 'JD20261201778',
    tags: ['发票'],
    reply: '您好，发票申请已提交财务，开具后会发送到您的邮箱，请注意查收。',
  },
  {
    subject: '保温杯到货破损',
    description: '外箱破损、杯身凹痕，客户已上传照片（订单评价）。',
    daysAgo: 0.8,
    fromConversation: 4,
    type: 'after_sales',
    priority: 'high',
    status: 'open',
    assignee: 'chen',
    orderNo: 'TB20261130456',
    tags: ['破损', '补发'],
  },
  {
    subject: '投诉：快递未送货上门',
    description: '客户投诉快递员未送货上门、未电话通知，已补偿 10 元券，待客户确认。',
    daysAgo: 1.8,
    fromConversation: 9,
    type: 'complaint',
    priority: 'urgent',
    status: 'on_hold',
    assignee: 'lin',
    tags: ['投诉', '快递'],
  },
  {
    subject: '企业采购 200 台加湿器报价',
    description: '需要企业阶梯价及增值税专用发票，大客户经理跟进。',
    daysAgo: 3.1,
    customer: 'huang',
    type: 'inquiry',
    priority: 'high',
    status: 'open',
    assignee: 'chen',
    tags: ['企业采购'],
  },
  {
    subject: '退款进度查询',
    description: '退货已签收，退款 1–3 个工作日原路退回。',
    daysAgo: 2.5,
    fromConversation: 5,
    type: 'after_sales',
    priority: 'normal',
    status: 'solved',
    assignee: 'zhou',
    fields: { refund_amount: 299 },
    tags: ['退款'],
    reply: '您好，退款已原路退回，请留意支付宝到账通知。',
  },
  {
    subject: '蓝牙耳机右耳无声',
    description: '重置后恢复正常。',
    daysAgo: 4.2,
    fromConversation: 8,
    type: 'after_sales',
    priority: 'low',
    status: 'closed',
    assignee: 'lin',
    tags: ['质量问题'],
  },
  {
    subject: '修改收货地址：TB20261205021',
    description: '客户下单地址填错，需改为杭州市西湖区文三路 90 号，订单尚未出库。',
    daysAgo: 0.15,
    customer: 'wu',
    type: 'logistics',
    priority: 'urgent',
    status: 'new',
    orderNo: 'TB20261205021',
    tags: ['改地址'],
  },
  {
    subject: '批量导入商品后价格显示异常',
    description: '店铺运营反馈：双十二活动价在商品详情页显示为原价，需核对活动配置。',
    daysAgo: 5.2,
    type: 'other',
    priority: 'high',
    status: 'open',
    assignee: 'admin', // the shop owner's own: the admin's default queue (my open tickets) is not empty
    tags: ['活动'],
  },
  {
    subject: '会员积分未到账',
    description: '客户 11 月订单的积分未到账，已提交会员系统核查。',
    daysAgo: 6.1,
    customer: 'liu',
    type: 'inquiry',
    priority: 'normal',
    status: 'pending',
    assignee: 'lin',
    tags: ['积分'],
    reply: '您好，积分问题已提交会员系统核查，预计 2 个工作日内处理完毕。',
  },
  {
    subject: '空气炸锅 7 天无理由退货',
    description: '未使用、包装完好，运费险自动理赔。',
    daysAgo: 5.5,
    fromConversation: 10,
    type: 'after_sales',
    priority: 'low',
    status: 'solved',
    assignee: 'zhou',
    tags: ['退货'],
  },
];
