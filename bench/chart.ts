import type { BenchReport } from './report.js';

export function renderChart(_report: BenchReport): string {
  return '<svg xmlns="http://www.w3.org/2000/svg"/>';
}
