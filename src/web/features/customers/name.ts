/**
 * How the console names a customer on every page: their name, or "访客 4b2e" (the word for a
 * visitor and the last four characters of their id) for a shopper who gave none — so two
 * anonymous visitors can be told apart, and the inbox, the ticket and the customer page name one
 * visitor alike.
 */
export function customerName(c: { id: string; name: string | null | undefined }, visitor: string): string {
  return c.name || `${visitor} ${c.id.slice(-4)}`;
}
