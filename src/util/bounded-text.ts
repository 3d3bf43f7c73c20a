/**
 * Text a program prints, kept within a bound however much it prints: its beginning, then — once
 * the bound is reached — the most recent text, with one line saying how much was left out between.
 * What strangers' programs print (a maintainer script in an endless loop) cannot fill kpkg's memory.
 */
export class BoundedText {
  private head = '';
  private readonly recent: string[] = [];
  private recentLength = 0;
  private dropped = 0;

  /** `headChars` from the start and `recentChars` of the end are kept. */
  constructor(
    private readonly headChars: number,
    private readonly recentChars: number,
  ) {}

  append(text: string): void {
    const room = this.headChars - this.head.length;
    if (room > 0) {
      this.head += text.slice(0, room);
      text = text.slice(room);
    }
    if (text === '') return;
    this.recent.push(text);
    this.recentLength += text.length;
    while (this.recentLength > this.recentChars) {
      const oldest = this.recent[0] ?? '';
      const excess = this.recentLength - this.recentChars;
      if (oldest.length <= excess) {
        this.recent.shift();
        this.recentLength -= oldest.length;
        this.dropped += oldest.length;
      } else {
        this.recent[0] = oldest.slice(excess);
        this.recentLength -= excess;
        this.dropped += excess;
      }
    }
  }

  /** What was kept, with the line that marks what was left out. */
  text(): string {
    const recent = this.recent.join('');
    if (this.dropped === 0) return this.head + recent;
    return `${this.head}\n[kpkg: ${this.dropped} characters of output left out]\n${recent}`;
  }
}
