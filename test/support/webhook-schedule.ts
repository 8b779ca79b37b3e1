// The webhook retry schedule docs/webhooks.md promises, in seconds, written
// out so that tests pin it rather than follow the code's own constant.

/** The waits after failed attempts 1 to 9: 10 s, 1 min, 5 min, 30 min, 2 h, 6 h, 12 h, 24 h, 24 h; the tenth failure gives up. */
export const WEBHOOK_RETRY_WAITS = [10, 60, 300, 1800, 7200, 21600, 43200, 86400, 86400];
