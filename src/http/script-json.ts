/** JSON for a `<script type="application/json">` block: `<` is escaped so no value can close it. */
export const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');
