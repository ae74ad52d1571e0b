/**
 * What a search box found its answer by, shown to the user: an exact match through its own index
 * (a ticket number, an order number, a customer's phone, e-mail, name or shop user id) or
 * full-text search (newest matches first).
 */
import { z } from 'zod';

export const searchKinds = ['ticket_number', 'order_no', 'phone', 'email', 'name', 'external', 'text'] as const;
export const SearchKind = z.enum(searchKinds);
export type SearchKind = z.infer<typeof SearchKind>;
export const SearchInfo = z.object({ kind: SearchKind });
export type SearchInfo = z.infer<typeof SearchInfo>;

/** An opaque keyset cursor: the next page starts after the row it names. */
export const Cursor = z.string().max(400);
