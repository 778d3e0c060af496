/** A progress bar on stderr: redrawn in place on a terminal, a line per 10 % otherwise. */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr) {
  let lastTenth = -1;
  let drawn = false;
  return {
    update({ done, total }: { done: number; total: number }): void {
      const fraction = total === 0 ? 1 : done / total;
      const percent = Math.floor(fraction * 100);
      if (stream.isTTY) {
        drawn = true;
        const width = 30;
        const filled = Math.round(fraction * width);
        stream.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${percent}%`);
        return;
      }
      const tenth = Math.floor(fraction * 10);
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      stream.write(`${label}: ${done}/${total} (${percent}%)\n`);
    },
    end(): void {
      if (drawn) stream.write('\n');
    },
  };
}
