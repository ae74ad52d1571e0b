/** The demo store: orders in every state, shipped by Chinese carriers with tracking events (times relative to now). */
import type { Services } from '../../context.ts';
import { newId } from '../../lib/ids.ts';
import type { SeedTarget } from '../../module.ts';
import type { OrderStatus, TrackingEvent } from './adapter.ts';
import { own } from './schema.ts';

type DemoOrder = {
  no: string;
  status: OrderStatus;
  daysAgo: number;
  items: [string, string, number, number][];
  receiver: [string, string, string];
  ship?: { carrier: string; tracking: string; status: string; events: [number, string, string][] };
  refund?: { status: string; amount: number };
  /** The demo customer (demo/content.ts key) who placed it: the demo conversations' sidebars show it. */
  customer?: string;
};

export const demoOrders: DemoOrder[] = [
  {
    no: 'DD20261203001',
    customer: 'wang',
    status: 'shipped',
    daysAgo: 2,
    items: [['轻薄羽绒服 黑色 M', 'DJ-M-BLK', 1, 29900]],
    receiver: ['王小明', '13912345678', '浙江省 杭州市 西湖区 文三路 90 号'],
    ship: {
      carrier: '顺丰速运',
      tracking: 'SF1402938475612',
      status: 'in_transit',
      events: [
        [40, '广东省 东莞市', '顺丰速运 已收取快件'],
        [30, '广东省 东莞市', '快件已从【东莞集散中心】发出'],
        [8, '浙江省 杭州市', '快件已到达【杭州转运中心】'],
      ],
    },
  },
  {
    no: 'DD20261201002',
    customer: 'wang',
    status: 'delivered',
    daysAgo: 5,
    items: [
      ['纯棉圆领 T 恤 白色 L', 'TS-L-WHT', 2, 7900],
      ['运动短袜 5 双装', 'SK-5', 1, 3900],
    ],
    receiver: ['李娜', '13800138000', '上海市 浦东新区 张江路 88 弄'],
    ship: {
      carrier: '中通快递',
      tracking: 'ZT78231029384',
      status: 'delivered',
      events: [
        [100, '江苏省 苏州市', '中通快递 已揽收'],
        [80, '上海市', '快件已到达【上海浦东分拨中心】'],
        [70, '上海市 浦东新区', '快件已由【张江菜鸟驿站】代收，取件码 8-2-3011'],
      ],
    },
  },
  {
    no: 'DD20261204003',
    customer: 'zhang',
    status: 'paid',
    daysAgo: 1,
    items: [['加绒牛仔裤 蓝色 30', 'JN-30-BLU', 1, 19900]],
    receiver: ['张伟', '13700001111', '北京市 朝阳区 望京街 1 号'],
  },
  {
    no: 'DD20261205004',
    customer: 'zhao',
    status: 'unpaid',
    daysAgo: 0,
    items: [['羊毛围巾 驼色', 'WJ-CAM', 1, 15900]],
    receiver: ['赵敏', '13600002222', '四川省 成都市 高新区 天府大道 100 号'],
  },
  {
    no: 'DD20261120005',
    customer: 'chen',
    status: 'completed',
    daysAgo: 15,
    items: [['保温杯 500ml', 'BW-500', 1, 8900]],
    receiver: ['陈静', '13500003333', '广东省 深圳市 南山区 科技园'],
    ship: {
      carrier: '京东物流',
      tracking: 'JDVA03829102938',
      status: 'delivered',
      events: [
        [350, '广东省 广州市', '京东物流 已揽收'],
        [330, '广东省 深圳市', '您的快件已签收，签收人：本人'],
      ],
    },
  },
  {
    no: 'DD20261125006',
    customer: 'liu',
    status: 'refunding',
    daysAgo: 10,
    items: [['真丝睡衣套装 粉色 M', 'SY-M-PNK', 1, 39900]],
    receiver: ['刘洋', '13400004444', '湖北省 武汉市 洪山区 珞喻路'],
    ship: {
      carrier: '圆通速递',
      tracking: 'YT6029384756102',
      status: 'delivered',
      events: [
        [230, '浙江省 嘉兴市', '圆通速递 已揽收'],
        [200, '湖北省 武汉市', '快件已签收'],
      ],
    },
    refund: { status: 'processing', amount: 39900 },
  },
  {
    no: 'DD20261118007',
    customer: 'sun',
    status: 'refunded',
    daysAgo: 17,
    items: [['蓝牙耳机 白色', 'EB-WHT', 1, 19900]],
    receiver: ['孙丽', '13300005555', '江苏省 南京市 鼓楼区 中山路'],
    refund: { status: 'refunded', amount: 19900 },
  },
  {
    no: 'DD20261202008',
    customer: 'ma',
    status: 'cancelled',
    daysAgo: 3,
    items: [['儿童羽绒服 红色 120', 'DJK-120-RED', 1, 25900]],
    receiver: ['周杰', '13200006666', '山东省 青岛市 市南区 香港中路'],
  },
  {
    no: 'DD20261202009',
    customer: 'wu',
    status: 'shipped',
    daysAgo: 3,
    items: [['电热水壶 1.7L', 'SH-17', 1, 12900]],
    receiver: ['吴芳', '13100007777', '新疆维吾尔自治区 乌鲁木齐市 天山区'],
    ship: {
      carrier: '中国邮政 EMS',
      tracking: 'EM1029384756CN',
      status: 'in_transit',
      events: [
        [70, '浙江省 义乌市', '中国邮政 已收寄'],
        [50, '甘肃省 兰州市', '快件已到达【兰州邮区中心局】'],
      ],
    },
  },
];

export async function seedStore(s: Services, target: SeedTarget): Promise<void> {
  const now = s.clock.now().getTime();
  const iso = (hoursAgo: number) => new Date(now - hoursAgo * 3_600_000).toISOString();
  const db = own(s.db);
  for (const o of demoOrders) {
    const id = newId('ord');
    const created = o.daysAgo * 24 + 2;
    const shippedHours = o.ship ? Math.max(...o.ship.events.map((e) => e[0])) : null;
    const delivered = o.ship?.status === 'delivered' ? Math.min(...o.ship.events.map((e) => e[0])) : null;
    await db
      .insertInto('store_orders')
      .values({
        id,
        workspace_id: target.workspaceId,
        order_no: o.no,
        customer_id: null,
        status: o.status,
        items: JSON.stringify(o.items.map(([name, sku, qty, price]) => ({ name, sku, qty, price }))),
        total: o.items.reduce((sum, i) => sum + i[2] * i[3], 0),
        currency: 'CNY',
        receiver_enc: s.cipher.encrypt(
          JSON.stringify({ name: o.receiver[0], phone: o.receiver[1], address: o.receiver[2] }),
        ),
        refund: o.refund ? JSON.stringify({ ...o.refund, at: iso(24) }) : null,
        created_at: iso(created),
        paid_at: o.status === 'unpaid' ? null : iso(created - 0.1),
        shipped_at: shippedHours === null ? null : iso(shippedHours),
        delivered_at: delivered === null ? null : iso(delivered),
      })
      .execute();
    if (o.ship)
      await db
        .insertInto('store_shipments')
        .values({
          id: newId('shp'),
          workspace_id: target.workspaceId,
          order_id: id,
          carrier: o.ship.carrier,
          tracking_no: o.ship.tracking,
          status: o.ship.status,
          events: JSON.stringify(
            o.ship.events.map(([h, location, text]): TrackingEvent => ({ at: iso(h), location, text })),
          ),
          updated_at: iso(Math.min(...o.ship.events.map((e) => e[0]))),
        })
        .execute();
  }
}

/**
 * The demo content (demo/seed.ts) made its customers after the modules' seeds: their orders become
 * theirs, so each demo conversation's sidebar lists the shopper's orders. `customers`: key → id.
 */
export async function linkDemoOrders(s: Services, workspaceId: string, customers: Map<string, string>): Promise<void> {
  for (const o of demoOrders) {
    const customerId = o.customer ? customers.get(o.customer) : undefined;
    if (!customerId) continue;
    await own(s.db)
      .updateTable('store_orders')
      .set({ customer_id: customerId })
      .where('workspace_id', '=', workspaceId)
      .where('order_no', '=', o.no)
      .execute();
  }
}
