import * as fs from 'fs';
import type { Config } from './config';

const LEVELS = ['debug', 'verbose', 'notice', 'warning'];
const MARKS = ['.', '-', '*', '#'];

/** Valkey-style log lines (`pid:M 26 Nov 2026 11:00:00.000 * message`) to stdout or `logfile`. */
export class Log {
  constructor(private readonly config: Config) {}

  public debug(msg: string): void {
    this.write(0, msg);
  }
  public verbose(msg: string): void {
    this.write(1, msg);
  }
  public notice(msg: string): void {
    this.write(2, msg);
  }
  public warning(msg: string): void {
    this.write(3, msg);
  }

  private write(level: number, msg: string): void {
    const configured = this.config.get('loglevel');
    if (configured === 'nothing' || level < LEVELS.indexOf(configured)) return;
    const d = new Date();
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    const ts = `${pad(d.getDate())} ${months[d.getMonth()]} ${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
    const line = `${process.pid}:M ${ts} ${MARKS[level]} ${msg}\n`;
    const file = this.config.get('logfile');
    if (file) fs.appendFileSync(file, line);
    else process.stdout.write(line);
  }
}
