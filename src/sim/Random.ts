/**
 * Random: a small seeded pseudo-random generator (sfc32) so every simulator run with the same seed makes
 * the same uids, names and churn. Not for anything secret.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9 ^ seed;
    this.b = 0x243f6a88 ^ Math.imul(seed, 0x85ebca6b);
    this.c = 0xb7e15162;
    this.d = 1;
    for (let i = 0; i < 16; i++) this.next();
  }

  /** A float in [0, 1). */
  next(): number {
    this.a >>>= 0; this.b >>>= 0; this.c >>>= 0; this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Random.pick: empty list');
    return items[this.int(items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A lowercase alphanumeric string like the API server's generateName suffixes. */
  suffix(len = 5): string {
    const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
    let s = '';
    for (let i = 0; i < len; i++) s += alphabet[this.int(alphabet.length)];
    return s;
  }

  uuid(): string {
    const h = (n: number) => ((this.next() * 4294967296) >>> 0).toString(16).padStart(8, '0').slice(0, n);
    const a = h(8);
    const b = h(8);
    const c = h(8);
    const d = h(8);
    return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${'89ab'[this.int(4)]}${c.slice(1, 4)}-${c.slice(4, 8)}${d}`;
  }
}
