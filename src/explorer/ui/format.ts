/** "2026-03-01 14:05 UTC": the same for every viewer, whatever their locale. */
export function when(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export const count = (n: number) => n.toLocaleString('en-US');
