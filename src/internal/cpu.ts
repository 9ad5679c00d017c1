/**
 * CPU quantities of the constructs. Apart from validate.ts because it loads cdk8s-plus, which the
 * guards and the command-line checker never need (a quarter of the checker's cold start).
 */
import { Cpu } from 'cdk8s-plus-28';
import { fail } from './errors';

/** A Cpu as a Kubernetes quantity and its value in millicores (to compare requests and limits). */
export function renderCpu(subjectText: string, property: string, value: unknown): { quantity: string; millis: number } {
  if (!(value instanceof Cpu)) fail(subjectText, property, value, 'a Cpu such as Cpu.millis(100)');
  const amount = String(value.amount);
  const m = /^([0-9]+(?:\.[0-9]+)?)(m?)$/.exec(amount);
  const millis = m ? Number(m[1]) * (m[2] ? 1 : 1000) : NaN;
  if (!m || !Number.isFinite(millis) || millis < 1 || !Number.isInteger(millis) || millis > 1e9) {
    fail(subjectText, property, amount, 'a whole number of millicores from 1m to 1000000 cores');
  }
  return { quantity: millis % 1000 === 0 ? `${millis / 1000}` : `${millis}m`, millis };
}
