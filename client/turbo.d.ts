// The part of Hotwire Turbo (@hotwired/turbo, which ships no types) that client/site.ts uses.
declare module '@hotwired/turbo' {
  export function visit(location: string, options?: { action?: 'advance' | 'replace' }): void;
  export const session: { drive: boolean };
}
