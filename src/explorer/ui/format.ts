/** "2026-03-01 14:05 UTC": the same for every viewer, whatever their locale. */
export function when(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export const count = (n: number) => n.toLocaleString('en-US');

/** "1 memory", "3 memories". */
export const counted = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;
