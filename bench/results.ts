// Per-round samples of every figure, by key; NaN where a round has none.

export class Results {
  private readonly series = new Map<string, number[]>();
  private readonly notes = new Map<string, string>();

  constructor(readonly rounds: number) {}

  set(key: string, round: number, value: number): void {
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = new Array<number>(this.rounds).fill(NaN)));
    s[round] = value;
  }

  get(key: string): number[] {
    return this.series.get(key) ?? new Array<number>(this.rounds).fill(NaN);
  }

  has(key: string): boolean {
    return this.series.get(key)?.some((x) => Number.isFinite(x)) ?? false;
  }

  /** First note per key wins (e.g. the refusal text); later different ones are counted. */
  note(key: string, text: string): void {
    const old = this.notes.get(key);
    if (old === undefined) this.notes.set(key, text);
  }

  noteOf(key: string): string | undefined {
    return this.notes.get(key);
  }
}
