/**
 * Reports module: the contract reports (daily health, weekly inspection, monthly ops, monthly
 * customer-service analysis), each a pure function of stored data, and the customer-service
 * figures engine they share with `kefu report compute`. Definitions: docs/REPORTS.md.
 */

/**
 * The customer-service figures: `computeCsFigures(input)` (first response, resolution, resolution
 * rate, first-contact resolution, CSAT), `computeCsBreakdown(input, keyOf)` per group,
 * `businessHoursTimes(input, calendarOf)` in working time, `nearestRank` and `percent`.
 */
export {
  computeCsFigures,
  computeCsMembers,
  computeCsBreakdown,
  businessHoursTimes,
  nearestRank,
  percent,
  distribution,
  type CsConversation,
  type CsFigures,
  type CsInput,
  type CsMessage,
  type CsRating,
  type Distribution,
} from './cs-figures.ts';

/** The audit file of `kefu report compute`: `parseCsInput(raw)` and `csFiguresText(figures)`. */
export { parseCsInput, csFiguresText } from './cs-input.ts';
