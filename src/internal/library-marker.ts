import { IConstruct } from 'constructs';

/**
 * The seam between the constructs and the guards, kept here so that neither layer imports the
 * other: every construct of this library calls `markLibraryConstruct` in its constructor,
 * and the guards layer registers (at module load, in `guards/auto-enable.ts`, which every entry point of the package loads) the hook that turns the
 * guards on for the chart holding it. Guards still read only synthesized JSON.
 */
export type LibraryConstructHook = (construct: IConstruct) => void;

let hook: LibraryConstructHook | undefined;

/** Called once by the guards layer. */
export function registerLibraryConstructHook(h: LibraryConstructHook): void {
  hook = h;
}

/** Called by every construct of this library. */
export function markLibraryConstruct(construct: IConstruct): void {
  hook?.(construct);
}

/**
 * Run `fn` with the hook switched off (constructs made inside are not marked, so the guards do
 * not turn on automatically). Only the benchmark uses it, to measure what the guards cost.
 */
export function withoutLibraryConstructHook<T>(fn: () => T): T {
  const saved = hook;
  hook = undefined;
  try {
    return fn();
  } finally {
    hook = saved;
  }
}
