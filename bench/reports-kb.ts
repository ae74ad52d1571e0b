/**
 * The bench month's knowledge base and shoppers' first messages (`npm run bench -- reports`): the
 * demo's 20 entries (through the knowledge module's own seed) plus 13 products × 20 product
 * questions, each with similar questions (280 entries, as a big shop's base has), and a pool
 * of 1,000 first-message slots drawn with Zipf-like weights from phrasings that ask the entries'
 * questions in other words, plus greetings and questions no entry answers.
 */
import { sql } from 'kysely';
import type { Services } from '../src/server/context.ts';
import { newId } from '../src/server/lib/ids.ts';
import { seedKnowledge } from '../src/server/modules/knowledge/index.ts';

const products = [
  '卫衣',
  '牛仔裤',
  '连衣裙',
  '运动鞋',
  '保温杯',
  '电动牙刷',
  '蓝牙耳机',
  '空气炸锅',
  '扫地机器人',
  '行李箱',
  '面霜',
  '洗发水',
  '婴儿推车',
];

/** Per product: the standard question, its similar questions (p = the product). */
const templates: [string, string[]][] = [
  ['{p}有现货吗？', ['{p}还有货吗', '{p}什么时候补货', '{p}缺货了吗']],
  ['{p}保修多久？', ['{p}质保几年', '{p}坏了能保修吗', '{p}保修期多长']],
  ['{p}尺码怎么选？', ['{p}选多大码', '{p}偏大还是偏小', '{p}尺码表']],
  ['{p}怎么使用？', ['{p}使用方法', '{p}说明书在哪', '{p}怎么用']],
  ['{p}是正品吗？', ['{p}是不是正品', '{p}有防伪码吗', '{p}会是假货吗']],
  ['{p}有优惠吗？', ['{p}能便宜点吗', '{p}打折吗', '{p}有没有券']],
  ['{p}有几种颜色？', ['{p}颜色', '{p}还有别的颜色吗', '{p}有色差吗']],
  ['{p}有质量问题怎么办？', ['{p}收到就坏了', '{p}有瑕疵', '{p}质量太差']],
  ['{p}可以退换吗？', ['{p}能退吗', '{p}不合适能换吗', '{p}怎么退货']],
  ['{p}是什么材质？', ['{p}什么材质', '{p}面料成分', '{p}用的什么材料']],
  ['{p}怎么清洗保养？', ['{p}能水洗吗', '{p}清洗方法', '{p}保养']],
  ['{p}新款和旧款有什么区别？', ['{p}新款老款区别', '{p}升级了什么', '{p}哪一款好']],
  ['{p}有赠品吗？', ['{p}送什么赠品', '{p}赠品没收到', '{p}买就送吗']],
  ['{p}预售什么时候发货？', ['{p}预售发货时间', '{p}预售要等多久', '{p}定金付了什么时候发']],
  ['{p}支持以旧换新吗？', ['{p}以旧换新', '{p}旧的能抵钱吗', '{p}回收旧款']],
  ['{p}适合什么人用？', ['{p}适合多大年龄', '{p}老人能用吗', '{p}孩子能用吗']],
  ['{p}可以开专票吗？', ['{p}开增值税专用发票', '{p}公司采购开票', '{p}专票']],
  ['{p}需要安装吗？', ['{p}上门安装', '{p}安装收费吗', '{p}自己能装吗']],
  ['{p}尺寸和重量是多少？', ['{p}多重', '{p}尺寸多少', '{p}多大']],
  ['{p}有使用视频吗？', ['{p}教程', '{p}视频演示', '{p}操作视频']],
];

/** Inserts the knowledge base; returns every entry's standard question (the hot questions' labels). */
export async function seedKnowledgeBase(s: Services, workspaceId: string, ownerId: string): Promise<Set<string>> {
  await seedKnowledge(s, { workspaceId, ownerId });
  const now = s.clock.now().toISOString();
  const rows = products.flatMap((p, pi) =>
    templates.map(([q, similar], ti) => ({
      id: newId('kb'),
      workspace_id: workspaceId,
      question: q.replaceAll('{p}', p),
      similar: JSON.stringify(similar.map((x) => x.replaceAll('{p}', p))),
      answer: `${q.replaceAll('{p}', p).replace('？', '')}：请以商品详情页为准，或转人工客服为您查询（条目 ${pi + 1}-${ti + 1}）。`,
      buttons: '[]',
      category: '商品',
      tags: '[]',
      products: JSON.stringify([p]),
      order_states: '[]',
      channels: '[]',
      valid_from: null,
      valid_to: null,
      enabled: 1,
      created_at: now,
      updated_at: now,
    })),
  );
  for (let i = 0; i < rows.length; i += 100)
    await sql`insert into knowledge_entries ${sql.raw(
      // Quoted: `similar` is a reserved word in PostgreSQL.
      `(${Object.keys(rows[0]!)
        .map((c) => `"${c}"`)
        .join(', ')}) values `,
    )}${sql.join(rows.slice(i, i + 100).map((r) => sql`(${sql.join(Object.values(r))})`))}`.execute(s.db);
  const all = await sql<{
    question: string;
  }>`select question from knowledge_entries where workspace_id = ${workspaceId}`.execute(s.db);
  return new Set(all.rows.map((r) => r.question));
}

/** Shoppers' ways of asking (no entry's exact words), greetings and questions the base does not answer. */
const general = [
  '请问今天下单什么时候能发货',
  '我的快递好几天没更新了',
  '地址填错了能改一下吗',
  '衣服不想要了能退吗',
  '退货的运费谁出',
  '退款怎么还没到账',
  '尺码不合适想换个大一码',
  '可以开发票吗，公司报销用',
  '发票抬头写错了能重开吗',
  '刚买就降价了能补差价吗',
  '满300减50怎么凑单',
  '预售的尾款什么时候付',
  '优惠券为什么用不了',
  '会员积分怎么用',
  '收到的东西有破损',
  '人工客服几点上班',
  '能货到付款吗',
  '花呗可以分期吗',
  '拍错了怎么取消订单',
  '能发顺丰吗',
];
const productAsks = [
  '{p}还有货吗',
  '请问{p}保修几年',
  '{p}偏大还是偏小啊',
  '{p}怎么用啊',
  '{p}是不是正品',
  '{p}能不能便宜点',
  '收到的{p}有瑕疵',
  '{p}不合适能换吗',
  '{p}送什么赠品',
  '{p}预售要等多久',
];
const unmatched = ['在吗', '你好', '你们直播间几点开播', '主播说的福袋怎么领', '我的订单被风控了怎么办'];

/** 1,000 first-message slots: phrasing k of the shuffled pool gets a weight ∝ 1/(k+1) (at least one slot). */
export function firstMessageSlots(): string[] {
  const pool = [...general, ...products.flatMap((p) => productAsks.map((a) => a.replaceAll('{p}', p))), ...unmatched];
  // A fixed shuffle (LCG), so the same month every run.
  let x = 20261101;
  const rnd = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  const w = pool.map((_, k) => 1 / (k + 1));
  const sum = w.reduce((a, b) => a + b, 0);
  const slots: string[] = [];
  pool.forEach((text, k) => {
    const n = Math.max(1, Math.round((w[k]! / sum) * 1000));
    for (let i = 0; i < n && slots.length < 1000; i++) slots.push(text);
  });
  while (slots.length < 1000) slots.push(pool[slots.length % pool.length]!);
  return slots;
}
