/**
 * Built-in e-commerce synonyms: shoppers' everyday words mapped to the words knowledge bases
 * usually use (a general vocabulary of online shopping, not of any one shop or test set). A
 * workspace's own synonyms come on top. Each group's first word is the term the others become.
 */
export const builtInSynonyms: readonly (readonly string[])[] = [
  ['运费', '邮费', '快递费', '运输费'],
  ['快递', '物流', '包裹', '快件'],
  ['发货', '发出', '寄出', '发走'],
  ['退款', '退钱', '钱退'],
  ['到账', '到帐', '收到钱'],
  ['优惠券', '券', '红包'],
  ['定金', '订金'],
  ['价保', '保价', '退差价', '补差价'],
  ['质量问题', '坏了', '开线', '开胶', '瑕疵', '故障'],
  ['尺码', '码数', '尺寸'],
  ['正品', '真假', '假货'],
  ['实体店', '门店', '专柜', '线下店'],
  ['app', '客户端', '应用'],
  ['发错', '不是我买的', '和我拍的不一样'],
  ['漏发', '少发', '少寄', '没收到一部分'],
  ['ship', 'dispatch', 'send out'],
  ['parcel', 'package', 'shipment', 'box'],
  ['refund', 'money back'],
  ['cancel', 'undo'],
  ['price', 'cost'],
  ['coupon', 'voucher', 'promo code', 'discount code'],
  ['damaged', 'broken', 'smashed', 'crushed', 'cracked'],
  ['defective', 'faulty', 'not working', 'stopped working'],
  ['login', 'log in', 'sign in', 'locked out'],
  ['invoice', 'receipt', 'bill'],
  ['exchange', 'swap', 'trade'],
  ['human', 'real person', 'agent', 'staff'],
];
