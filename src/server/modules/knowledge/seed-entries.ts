/**
 * The rest of the demo knowledge base (seed.ts has the first twenty): more of what a Chinese shop's
 * shoppers ask (sizes, damage in transit, stuck parcels, authenticity, wrong items, warranty,
 * payment trouble, restocks…) and the entries an overseas shopper reads in English. Enough entries
 * with similar questions that the bot calibrates its confidence on the base itself (selfCalibrate
 * needs 20 held-out questions), as a real shop's base of a few dozen entries would.
 */
import type { EntryInput } from '../../../shared/knowledge-api.ts';

export type Demo = Partial<EntryInput> &
  Pick<EntryInput, 'question' | 'answer'> & {
    /** A validity window in days from the day the demo is seeded (promotions), instead of fixed dates. */
    window?: [number, number];
  };

export const moreChineseEntries: Demo[] = [
  {
    question: '尺码怎么选？',
    similar: ['衣服尺码怎么选', '我该穿多大码', '尺码表在哪看', '这款偏大还是偏小', '身高170体重65穿什么码'],
    answer:
      '商品页「尺码表」有每个尺码的胸围、衣长和建议身高体重；两个尺码之间建议选大一码。也可以把身高体重发给我们，人工客服帮您推荐。',
    category: '商品',
    tags: ['尺码'],
    buttons: ['转人工'],
  },
  {
    question: '快递运输中包裹破损怎么办？',
    similar: ['包装破了', '外箱被压扁了', '快递把东西摔坏了', '收到的包裹破损了', '箱子烂了里面东西坏了'],
    answer:
      '非常抱歉！外包装明显破损时可当场拒收；已签收请在 48 小时内拍下外箱、面单和商品照片提交售后，我们核实后补发或退款，运费由我们承担。',
    category: '售后',
    buttons: ['申请售后', '转人工'],
  },
  {
    question: '物流好几天没更新怎么办？',
    similar: ['物流不动了', '快递停在一个地方好几天', '物流一直没更新', '包裹卡在中转站了', '快递是不是丢了'],
    answer:
      '物流 48 小时未更新多为中转积压（大促期间常见），一般 1–2 天恢复；超过 72 小时仍无更新，请发我们订单号，我们联系快递公司核查，确认丢件会补发或退款。',
    category: '物流',
    buttons: ['查询我的订单', '转人工'],
  },
  {
    question: '满多少包邮？',
    similar: ['包邮吗', '运费多少钱', '邮费怎么算', '买一件包邮吗', '不满包邮要多少运费'],
    answer: '全场满 99 元包邮（新疆、西藏、青海满 199 元包邮），不满时运费 8 元；金卡会员全年包邮。',
    category: '发货',
  },
  {
    question: '偏远地区能发货吗？',
    similar: ['新疆西藏能发吗', '哪些地区不发货', '能发到青海吗', '发不发偏远地区'],
    answer: '全国都能发货，新疆、西藏、青海等偏远地区时效约 5–8 天，港澳台及海外暂不发货。',
    category: '发货',
  },
  {
    question: '能寄到国外吗？',
    similar: ['支持海外发货吗', '可以发香港吗', '能发国际快递吗', '能寄到台湾吗', '国外能买吗'],
    answer: '暂不支持港澳台及海外配送，可先寄到大陆地址再由亲友转寄。',
    category: '发货',
  },
  {
    question: '商品是正品吗？',
    similar: ['保证正品吗', '是不是假货', '有防伪码吗', '怎么验真伪', '是官方旗舰店吗'],
    answer: '本店为品牌官方授权店，所有商品均为正品，支持专柜验货；每件商品附防伪码，扫码即可查询。假一赔十。',
    category: '商品',
  },
  {
    question: '发错货了怎么办？',
    similar: ['收到的颜色不对', '发错尺码了', '和我买的不一样', '少发了一件', '漏发少件'],
    answer:
      '非常抱歉给您添麻烦了！请在「我的订单-申请售后」选择「发错货/漏发」并上传照片，我们核实后 24 小时内补发正确商品，错发的商品由我们安排上门取件。',
    category: '售后',
    buttons: ['申请售后', '转人工'],
  },
  {
    question: '商品坏了能维修吗？',
    similar: ['有保修吗', '质保期多久', '保修怎么申请', '用了一个月坏了', '耳机坏了能修吗'],
    answer:
      '电子产品享 1 年保修、服装鞋包 3 个月质保：在「我的订单-申请售后」选择「维修」，寄回后 5 个工作日内修好寄出。',
    category: '售后',
    buttons: ['申请售后'],
  },
  {
    question: '哪些商品不支持七天无理由退货？',
    similar: ['哪些商品不能退', '食品拆封能退吗', '内衣能退吗', '定制商品能退吗', '贴身衣物能退货吗'],
    answer:
      '拆封的食品和美妆、贴身衣物（内衣、袜子）、定制商品、虚拟商品不支持七天无理由退货；质量问题除外，均可申请售后。',
    category: '退换货',
  },
  {
    question: '拒收后多久退款？',
    similar: ['我拒收了怎么退款', '快递拒签后退款', '拒收了钱什么时候退', '不要了拒收可以吗'],
    answer: '拒收的包裹退回仓库后 24 小时内自动退款，原路退回；拒收产生的运费由我们承担（无理由拒收除外）。',
    category: '退换货',
  },
  {
    question: '订单为什么被取消了？',
    similar: ['订单自动取消了', '没付款订单没了', '订单超时关闭', '订单怎么不见了'],
    answer: '未付款订单 30 分钟后自动关闭；已付款订单如因缺货被取消，款项会原路全额退回，并补偿一张 10 元无门槛券。',
    category: '订单',
    orderStates: ['cancelled'],
  },
  {
    question: '付款失败怎么办？',
    similar: ['付不了款', '付款一直失败', '微信支付不了', '扣款了但订单显示未付款', '支付不成功'],
    answer:
      '请检查余额或银行卡限额后重试，或换一种支付方式；如已扣款但订单仍显示未付款，款项会在 1–3 个工作日内自动退回，也可转人工帮您查询。',
    category: '支付',
    buttons: ['转人工'],
  },
  {
    question: '缺货的商品什么时候补货？',
    similar: ['什么时候有货', '断码了还会补吗', '到货能通知我吗', '没货了怎么办', '预计哪天补货'],
    answer: '热销款一般 7–15 天补货，商品页点击「到货通知」，补货后第一时间短信提醒您。',
    category: '商品',
  },
  {
    question: '赠品什么时候发？',
    similar: ['赠品没收到', '送的东西没有', '买赠的礼物在哪', '赠品和商品一起发吗'],
    answer: '赠品与商品同包裹发出；如赠品单独发货，会在订单详情中显示另一个运单号。未收到请发订单号给我们核查。',
    category: '促销',
  },
  {
    question: '为什么实付金额和页面价格不一样？',
    similar: ['结算价格比页面高', '价格怎么变了', '实付金额不对', '直播价怎么没了'],
    answer:
      '页面价格可能含限时券或直播专享价，结算时未满足门槛或活动已结束会恢复原价；结算页「优惠明细」可看到每一项。',
    category: '促销',
  },
  {
    question: '怎么修改绑定的手机号？',
    similar: ['换手机号了', '账号绑定的手机不用了', '收不到验证码', '改绑手机'],
    answer: '在「我的-账号与安全-手机号」验证原手机后即可更换；原号码已停用请转人工，核实身份后帮您修改。',
    category: '账号',
    buttons: ['转人工'],
  },
  {
    question: '羽绒服会跑绒吗？',
    similar: ['羽绒服钻毛', '羽绒服掉毛正常吗', '跑绒怎么办'],
    answer: '少量细绒从针眼带出属正常，轻轻拔出即可（不要往外拽）；持续大量跑绒属质量问题，签收 90 天内可免费换新。',
    category: '商品',
    products: ['羽绒服'],
  },
  {
    question: '可以加急发货吗？',
    similar: ['能不能快点发', '着急用能加急吗', '今天能发出吗', '催一下发货'],
    answer: '16:00 前付款的现货订单当天发出；着急的话可在备注写「加急」并选择顺丰（补差价 10 元），我们优先打包。',
    category: '发货',
  },
  {
    question: '有礼品包装吗？',
    similar: ['可以送礼吗', '能包装成礼物吗', '送人能不放发票和价签吗', '有礼盒吗'],
    answer: '下单时勾选「礼品包装」（免费），我们会用礼盒包装并且不放价签和发货单；需要贺卡可在备注写上祝福语。',
    category: '订单',
  },
  {
    question: '能开增值税专用发票吗？',
    similar: ['能开专票吗', '公司报销要专票', '专票怎么申请', '需要增值税专用发票'],
    answer: '可以。专票需提供公司名称、税号、地址电话、开户行及账号，请转人工提交，审核后 3 个工作日内寄出纸质专票。',
    category: '发票',
    buttons: ['转人工'],
  },
  {
    question: '没收到货可以仅退款吗？',
    similar: ['仅退款怎么申请', '不退货只退款', '货没到想退款', '没发货能直接退款吗'],
    answer:
      '未发货或未收到货的订单可申请「仅退款」（我的订单 → 申请售后 → 仅退款），未发货的订单自动同意，已发货的会先拦截包裹。',
    category: '退换货',
    orderStates: ['paid', 'shipped'],
  },
];

/** A cross-border shop's English entries: the same policies, answered in English. */
export const englishEntries: Demo[] = [
  {
    question: 'How long does shipping take?',
    similar: ['when will my order arrive', 'how many days for delivery', 'delivery time', 'how fast is shipping'],
    answer:
      'In-stock items ship within 24 hours of payment (same day if paid before 16:00 Beijing time) and arrive in 2–4 days in mainland China, 5–8 days in remote areas.',
    category: 'English',
  },
  {
    question: 'Do you ship internationally?',
    similar: ['can you ship to the US', 'overseas delivery', 'do you deliver abroad', 'international shipping cost'],
    answer:
      'Not yet: we deliver to mainland China only. Many overseas shoppers send orders to a friend or a forwarding service in China.',
    category: 'English',
  },
  {
    question: 'How do I return an item?',
    similar: ['return policy', 'can I send it back', 'I want to return my order', 'how to start a return'],
    answer:
      'Within 7 days of delivery, unused with tags: My Orders → After-sales → Return and refund. Once approved, send it to the address shown on the page.',
    category: 'English',
    buttons: ['Talk to an agent'],
  },
  {
    question: 'When will I get my refund?',
    similar: ['refund status', "my refund hasn't arrived", 'how long do refunds take', 'where is my money'],
    answer:
      'We check returns within 48 hours of receiving them and refund to the original payment: 1–3 working days for Alipay and WeChat Pay, 3–7 for bank cards.',
    category: 'English',
  },
  {
    question: 'Can I change my shipping address?',
    similar: [
      'wrong address',
      'update delivery address',
      'edit my address after ordering',
      'I typed the wrong address',
    ],
    answer:
      'Before the order ships: My Orders → Change address. After it has shipped, ask the courier to redirect it, or talk to an agent.',
    category: 'English',
  },
  {
    question: 'How do I cancel my order?',
    similar: ['cancel order', 'I ordered by mistake', 'stop my order', 'I no longer want it'],
    answer:
      'Orders that have not shipped can be cancelled in My Orders and are refunded in full. A shipped order can be refused at delivery or returned.',
    category: 'English',
  },
  {
    question: 'What payment methods do you accept?',
    similar: ['can I pay with PayPal', 'do you take credit cards', 'payment options', 'can I pay by Visa'],
    answer:
      'Alipay, WeChat Pay, UnionPay and international Visa or Mastercard cards. PayPal and cash on delivery are not available.',
    category: 'English',
  },
  {
    question: 'How do I choose my size?',
    similar: ['size chart', 'what size should I get', 'does it run small', 'sizing guide'],
    answer:
      'Each product page has a size chart in centimetres (chest, length, suggested height and weight). Between two sizes, take the larger one.',
    category: 'English',
  },
  {
    question: 'My item arrived damaged, what should I do?',
    similar: ['broken item', 'the package was crushed', 'product is defective', 'it arrived broken'],
    answer:
      'We are sorry! Within 48 hours of delivery send photos of the box, the label and the item (My Orders → After-sales); we resend it or refund you, and we pay the shipping.',
    category: 'English',
    buttons: ['Talk to an agent'],
  },
  {
    question: 'Are your products authentic?',
    similar: ['is this genuine', 'are these fakes', 'is it an original product', 'counterfeit'],
    answer:
      'Yes. We are an authorised brand store; every item carries an anti-counterfeit code you can scan, and we refund ten times the price of anything proven fake.',
    category: 'English',
  },
  {
    question: 'Can I get an invoice?',
    similar: ['I need a receipt', 'VAT invoice', 'send me the invoice', 'company invoice'],
    answer:
      'After delivery: My Orders → Request invoice, with the name and tax number. The electronic invoice reaches your e-mail within one working day.',
    category: 'English',
  },
  {
    question: 'How do I use a coupon?',
    similar: ['promo code', 'discount code not working', 'where do I enter my coupon', 'voucher'],
    answer:
      'Collect coupons on the product page or under Me → Coupons; at checkout the best coupon you qualify for is applied automatically. Sale items take no coupons.',
    category: 'English',
  },
  {
    question: 'Do you offer free shipping?',
    similar: ['shipping cost', 'is delivery free', 'free delivery threshold', 'how much is postage'],
    answer: 'Orders of ¥99 or more ship free (¥199 to remote regions); below that, shipping is ¥8.',
    category: 'English',
  },
  {
    question: 'What are your customer service hours?',
    similar: ['when are you open', 'support hours', 'business hours', 'are you available at night'],
    answer: 'Our agents answer every day from 9:00 to 22:00 Beijing time; this assistant answers around the clock.',
    category: 'English',
  },
  {
    question: 'Is there a warranty?',
    similar: ['my item stopped working', 'can you repair it', 'how long is the guarantee', 'warranty claim'],
    answer:
      'Electronics have a one-year warranty, clothing, shoes and bags three months: My Orders → After-sales → Repair. We send it back repaired within 5 working days.',
    category: 'English',
  },
  {
    question: 'When will this item be back in stock?',
    similar: ['out of stock', 'restock date', 'notify me when available', 'is my size coming back'],
    answer:
      'Popular items are restocked in 7–15 days. Tap "Notify me" on the product page and we message you as soon as it is back.',
    category: 'English',
  },
  {
    question: 'I received the wrong item',
    similar: ['wrong colour', 'this is not what I ordered', 'an item is missing from my order', 'wrong size sent'],
    answer:
      'Sorry about that! Send a photo through My Orders → After-sales → Wrong or missing item; we ship the right one within 24 hours and collect the wrong one for free.',
    category: 'English',
    buttons: ['Talk to an agent'],
  },
];
