/** The demo workspace's knowledge base: realistic entries of a Chinese online shop (发货, 退换货, 发票, 价保, 满减…). */
import type { Services } from '../../context.ts';
import { newId } from '../../lib/ids.ts';
import type { SeedTarget } from '../../module.ts';
import { rowOf } from './service.ts';
import { own } from './schema.ts';
import { englishEntries, moreChineseEntries, type Demo } from './seed-entries.ts';

const firstEntries: Demo[] = [
  {
    question: '什么时候发货？',
    similar: ['下单后多久发货', '几天能发货', '今天下单今天能发吗', '怎么还没发货'],
    answer: '现货商品在付款后 24 小时内发货（16:00 前付款当天发出），预售商品以商品页标注的发货时间为准。',
    category: '发货',
    tags: ['发货时效'],
    buttons: ['查询我的订单', '转人工'],
  },
  {
    question: '默认发什么快递？',
    similar: ['发的哪家快递', '能发顺丰吗', '可以指定快递吗', '用什么物流'],
    answer: '默认发中通或韵达；满 199 元或会员订单发顺丰。如需指定顺丰，可在下单备注中注明并补差价 10 元。',
    category: '发货',
  },
  {
    question: '可以修改收货地址吗？',
    similar: ['地址填错了怎么办', '改地址', '更换收货地址', '下单后能改地址吗'],
    answer: '订单发货前可在「我的订单-修改地址」中自助修改；已发货的订单请联系快递员改派或转人工处理。',
    category: '订单',
    orderStates: ['paid'],
  },
  {
    question: '七天无理由退货怎么申请？',
    similar: ['怎么退货', '不想要了能退吗', '申请退货', '退货流程', '七天无理由'],
    answer: '签收后 7 天内，商品未使用、吊牌完好即可申请：我的订单 → 申请售后 → 退货退款，审核通过后按页面地址寄回。',
    category: '退换货',
    buttons: ['申请售后', '转人工'],
  },
  {
    question: '退货运费谁承担？',
    similar: ['退货要自己付运费吗', '退货邮费', '运费险怎么用', '退回去运费谁出'],
    answer: '质量问题退货运费由我们承担；无理由退货如订单含运费险，运费险会自动理赔，否则需自行承担寄回运费。',
    category: '退换货',
  },
  {
    question: '退款多久到账？',
    similar: ['钱什么时候退回来', '退款还没到', '退款进度', '多久能收到退款'],
    answer: '仓库签收退货后 48 小时内审核退款，原路退回：支付宝/微信 1–3 个工作日，银行卡 3–7 个工作日。',
    category: '退换货',
    orderStates: ['refunding', 'refunded'],
  },
  {
    question: '怎么换货？',
    similar: ['尺码不合适能换吗', '换个颜色', '换尺码', '申请换货'],
    answer: '签收后 15 天内可申请换货（我的订单 → 申请售后 → 换货），同款换尺码/颜色免费，换其他商品请先退后买。',
    category: '退换货',
  },
  {
    question: '怎么开发票？',
    similar: ['能开发票吗', '发票怎么开', '开具增值税发票', '要发票', '电子发票在哪下载', '发票抬头怎么填'],
    answer: '订单完成后在「我的订单-申请开票」填写抬头和税号，电子普通发票 1 个工作日内发送到您的邮箱；专票请转人工。',
    category: '发票',
    buttons: ['转人工'],
  },
  {
    question: '发票开错了可以重开吗？',
    similar: ['发票抬头错了', '发票要换开', '发票能重新开吗', '发票税号写错了'],
    answer: '可以。请在「我的订单-发票详情」中点击「申请换开」，原发票作废后 1 个工作日内重新开具。',
    category: '发票',
  },
  {
    question: '买贵了可以价保吗？',
    similar: ['降价了能补差价吗', '价保怎么申请', '保价', '刚买就降价了', '退差价'],
    answer:
      '支持 30 天价保：付款后 30 天内同一商品降价，可在「我的订单-申请价保」一键退差价（活动赠品、优惠券差额除外）。',
    category: '价保',
    window: [-180, 185],
  },
  {
    question: '满减活动怎么参加？',
    similar: ['满300减50怎么用', '满减规则', '凑单满减', '满减可以和优惠券一起用吗'],
    answer: '本期大促全场满 300 减 50（可跨店，上不封顶），下单时自动抵扣，可与店铺优惠券叠加使用。',
    category: '促销',
    window: [-6, 7],
  },
  {
    question: '定金和尾款怎么付？',
    similar: ['预售定金', '尾款什么时候付', '定金能退吗', '付尾款'],
    answer: '预售商品先付定金，尾款在活动页公布的时间内支付（大促开始前 3 天起）；因个人原因未付尾款定金不退。',
    category: '促销',
    window: [-17, 5],
  },
  {
    question: '优惠券怎么用？',
    similar: ['券用不了', '优惠券在哪领', '为什么不能用券', '领券'],
    answer: '优惠券在商品页或「我的-优惠券」领取，满足门槛时结算页自动选择最优券；特价商品和预售尾款不可用券。',
    category: '促销',
  },
  {
    question: '会员有什么权益？',
    similar: ['怎么成为会员', '会员积分', '积分怎么用', 'VIP 有什么好处'],
    answer: '累计消费满 1000 元自动成为金卡会员：全年包邮、顺丰优先发货、生日券 50 元，积分 100 抵 1 元。',
    category: '会员',
  },
  {
    question: '商品有质量问题怎么办？',
    similar: ['收到的东西坏了', '商品破损', '有瑕疵', '收到货是坏的'],
    answer: '非常抱歉！请在签收后 15 天内拍照（外包装、商品问题处、快递单）提交售后，我们承担来回运费并优先处理。',
    category: '售后',
    buttons: ['申请售后', '转人工'],
  },
  {
    question: '怎么联系人工客服？',
    similar: ['人工服务时间', '客服几点上班', '客服电话'],
    answer: '人工客服服务时间为每天 9:00–22:00，您可以直接发送「转人工」，或拨打 400-820-8820。',
    category: '其他',
  },
  {
    question: '支持货到付款吗？',
    similar: ['能货到付款吗', '到付', '可以先收货再付款吗'],
    answer: '暂不支持货到付款，支持支付宝、微信支付、银联和花呗分期（3/6/12 期）。',
    category: '支付',
  },
  {
    question: '可以开花呗分期吗？',
    similar: ['分期付款', '花呗免息', '信用卡分期'],
    answer: '单笔满 600 元可用花呗分期，3 期免息；信用卡分期以银行页面为准。',
    category: '支付',
  },
  {
    question: '怎么取消订单？',
    similar: ['不想要了取消订单', '订单取消', '拍错了怎么办'],
    answer: '未发货订单可在「我的订单」中直接取消，款项原路退回；已发货订单请拒收或签收后申请退货。',
    category: '订单',
    orderStates: ['unpaid', 'paid'],
  },
  {
    question: '羽绒服怎么洗？',
    similar: ['羽绒服能机洗吗', '羽绒服清洗', '羽绒服保养'],
    answer: '建议手洗或干洗：30℃ 以下中性洗涤剂轻压清洗，不可拧干，平铺晾干后拍打蓬松。',
    category: '商品',
    products: ['羽绒服'],
  },
];

export const demoEntries: Demo[] = [...firstEntries, ...moreChineseEntries, ...englishEntries];

/** The demo's dictionary: its words with their synonyms. */
export const demoTerms = [
  { term: '羽绒服', synonyms: ['羽绒衣', '棉服'] },
  { term: '顺丰', synonyms: ['SF', '顺丰速运'] },
  { term: '价保', synonyms: ['保价', '退差价'] },
  { term: '发票', synonyms: ['票据', '收据'] },
  { term: '快递', synonyms: ['物流', '包裹'] },
];

/** The day `days` from `now` (UTC), as an entry's validity bound. */
const dayFrom = (now: Date, days: number) => new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);

export async function seedKnowledge(s: Services, target: SeedTarget): Promise<void> {
  const at = s.clock.now();
  const now = at.toISOString();
  const rows = demoEntries.map(({ window, ...d }) => ({
    id: newId('kb'),
    workspace_id: target.workspaceId,
    created_at: now,
    ...rowOf(
      {
        similar: [],
        buttons: [],
        category: '',
        tags: [],
        products: [],
        orderStates: [],
        channels: [],
        validFrom: null,
        validTo: null,
        enabled: true,
        ...d,
        // Promotions run around the day the demo is seeded, so a fresh demo always has some.
        ...(window ? { validFrom: dayFrom(at, window[0]), validTo: dayFrom(at, window[1]) } : {}),
      },
      now,
    ),
  }));
  const db = own(s.db);
  await db.insertInto('knowledge_entries').values(rows).execute();
  await db
    .insertInto('knowledge_terms')
    .values(
      demoTerms.map((t) => ({
        id: newId('kbt'),
        workspace_id: target.workspaceId,
        term: t.term,
        synonyms: JSON.stringify(t.synonyms),
        created_at: now,
      })),
    )
    .execute();
}
