/**
 * Personal data replaced by placeholders before a shopper's words leave Kefu for an LLM: e-mail
 * addresses, ID numbers (mainland 18-character ones), phone numbers (mainland mobiles and
 * landlines, international), postal addresses (Chinese administrative chains and street numbers,
 * English street addresses), order numbers (the shapes the bot's order-number slot reads) and any other run of
 * five or more digits (tracking, card and postal numbers). Unlike the reports' `maskPii`, which
 * keeps a number's ends for people to recognise, nothing of the value is kept: an LLM needs to
 * know that the shopper gave an order number, not which one. Over-masking is accepted.
 */

export const placeholders = {
  email: '<EMAIL>',
  id: '<ID_NUMBER>',
  phone: '<PHONE>',
  address: '<ADDRESS>',
  order: '<ORDER_NO>',
  number: '<NUMBER>',
} as const;

const email = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
// Boundaries are ASCII letters and digits only: Chinese text runs straight into numbers (身份证1101…).
const idNumber = /(?<![A-Za-z0-9])\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])\d{2}\d{3}[\dXx](?![A-Za-z0-9])/g;
/** Order numbers as the bot's slot reads them (8–24 digits, or letters then 6+ digits), whatever precedes them. */
const orderNumber = /(?<![A-Za-z0-9])(?:[A-Za-z]{0,4}\d{8,24}|[A-Za-z]{1,4}\d{6,24})(?![A-Za-z0-9])/g;
const phones = [
  // Mainland mobiles, optionally +86 / 86, with spaces or dashes inside.
  /(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)/g,
  // Landlines: area code 0xx(x), then 7–8 digits.
  /(?<!\d)\(?0\d{2,3}\)?[\s-]?\d{3,4}[\s-]?\d{4}(?!\d)/g,
  // International: + country code and 7–14 more digits.
  /\+\d{1,3}[\s-]?\(?\d{1,4}\)?(?:[\s-]?\d){6,12}(?!\d)/g,
];
const han = '\\p{Script=Han}';
const adminUnit = `${han}{2,6}?(?:省|自治区|特别行政区|市|区|县|旗|镇|乡|街道)`;
const road = `[\\p{Script=Han}\\p{N}A-Za-z]{1,12}?(?:路|街|大道|道|巷|弄|胡同|里|村)\\s*\\d+\\s*(?:号|弄)?`;
const building = `(?:\\s*${han}{0,8}?\\d+\\s*(?:号楼|栋|幢|座|单元|室|楼|层|号|户))*(?:\\s*-?\\d{1,5}(?:室|号)?)?`;
const estate = `${han}{2,10}?(?:小区|花园|公寓|大厦|苑|家园|新村|广场)\\s*\\d+\\s*(?:号楼|栋|幢|座|单元|室|号)${building}`;
/**
 * Each address pattern with what any text it matches must contain (a cheap test first: the
 * patterns backtrack over Han text, ~10 µs a message, and most messages hold no address): a road's
 * or an estate's suffix followed by its number; an administrative unit's last character; a digit.
 */
const addresses: [RegExp, RegExp][] = [
  [/[路街道巷弄同里村区园寓厦苑场]\s*\d/u, new RegExp(`(?:${adminUnit}){0,4}(?:${road}${building}|${estate})`, 'gu')],
  [/[省区市县旗镇乡道]/u, new RegExp(`(?:${adminUnit}){2,}`, 'gu')],
  [
    /\d/,
    /\b\d{1,5}[A-Za-z]?\s+(?:[A-Za-z][\w'.-]*\s+){1,4}(?:street|st|road|rd|avenue|ave|boulevard|blvd|lane|ln|drive|dr|way|court|ct|place|pl|terrace|close)\b\.?(?:,?\s*(?:apt|apartment|suite|unit|flat|#)\s*[\w-]+)?/giu,
  ],
];

/** The text with personal data replaced by placeholders (see the module comment). */
export function maskForLlm(text: string): string {
  let t = text.replace(email, placeholders.email).replace(idNumber, placeholders.id);
  for (const re of phones) t = t.replace(re, placeholders.phone);
  for (const [maybe, re] of addresses) if (maybe.test(t)) t = t.replace(re, placeholders.address);
  // Order numbers (letters and digits too), then every other long digit run.
  t = t.replace(orderNumber, placeholders.order);
  return t.replace(/\d(?:[\s-]?\d){4,}/g, placeholders.number);
}
