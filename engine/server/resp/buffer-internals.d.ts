// Node's Buffer has fast latin1 slice/write methods that its typings do not declare; the parser and
// reply writer use them on the hot path (they skip the encoding dispatch of toString/write).
export {};
declare global {
  interface Buffer {
    latin1Slice(start: number, end: number): string;
    latin1Write(s: string, offset: number, length?: number): number;
  }
}
