/** Whether the address asks for the embed layout: `?embed=1` (see the README). Kept tiny: the entry point reads it before anything else loads. */
export function isEmbedded(search: string): boolean {
  return new URLSearchParams(search).get('embed') === '1';
}
