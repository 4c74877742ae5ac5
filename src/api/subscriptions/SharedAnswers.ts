/**
 * SharedAnswers: one computation per question per state, shared by every subscription asking it (many
 * people following the same route during an incident cost one resolution per change, not one each).
 *
 * Entries are kept for the current state (its StateKey) only: the first lookup at a new version drops them
 * all, so the cache never holds more than one answer per distinct question being asked. A computation
 * that throws is shared as a thrown error the same way.
 */
import type { StateKey } from './LiveChangeFeed.js';

type Outcome = { readonly value: unknown } | { readonly error: unknown };

export class SharedAnswers {
  private version: StateKey | undefined;
  private readonly answers = new Map<string, Outcome>();

  constructor(private readonly currentVersion: () => StateKey) {}

  /** The answer to `key` at the current version, computed by `compute` at most once per version. */
  get<T>(key: string, compute: () => T): T {
    const v = this.currentVersion();
    if (v !== this.version) {
      this.answers.clear();
      this.version = v;
    }
    let outcome = this.answers.get(key);
    if (!outcome) {
      try {
        outcome = { value: compute() };
      } catch (error) {
        outcome = { error };
      }
      this.answers.set(key, outcome);
    }
    if ('error' in outcome) throw outcome.error;
    return outcome.value as T;
  }

  get size(): number {
    return this.answers.size;
  }
}
