/**
 * The pre-chat form's order number, as the widget checks it and the server accepts it: trimmed,
 * letters, digits, '-' and '_' (an optional leading '#', as shops like Shopify name orders), at most
 * 64 characters. No zod here: the widget bundle imports it.
 */
export const preChatOrderNoPattern = /^#?[A-Za-z0-9_-]{1,63}$/;
export const preChatOrderNoMax = 64;
