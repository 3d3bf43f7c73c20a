/** A time in seconds since the epoch as RFC 5322 writes it in UTC ("Tue, 14 Nov 2023 22:13:20 +0000"): changelogs, .changes, .buildinfo. */
export function rfcDate(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toUTCString().replace('GMT', '+0000');
}
