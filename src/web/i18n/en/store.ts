import type { store as zh } from '../zh-CN/store.ts';

export const store: typeof zh = {
  orders: 'Orders',
  order: 'Order',
  noOrders: 'No orders',
  receiver: 'Receiver',
  refund: 'Refund',
  total: 'Total',
  latest: 'Latest tracking',
  moreItems: '{{count}} more item(s)',
  sendCard: 'Send order card',
  cardSent: 'Order card sent',
  status: {
    unpaid: 'Awaiting payment',
    paid: 'Paid, not shipped',
    shipped: 'Shipped',
    delivered: 'Delivered',
    completed: 'Completed',
    cancelled: 'Cancelled',
    refunding: 'Refund in progress',
    refunded: 'Refunded',
  },
  refundStatus: { processing: 'Processing', refunded: 'Refunded' },
};
