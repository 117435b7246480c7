// `npm run dev:worker`'s last step: wrangler dev on 127.0.0.1, on PORT when set (default 8787), in the
// storage mode STORAGE names when set (`STORAGE=clinic-objects npm run dev:worker`; else wrangler.toml's).
import { spawn } from 'node:child_process';

const port = process.env.PORT || '8787';
if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) {
  console.error(`PORT must be a port number, not "${port}"`);
  process.exit(1);
}
const storage = process.env.STORAGE;
if (storage && !['d1', 'clinic-objects'].includes(storage)) {
  console.error(`STORAGE must be d1 or clinic-objects, not "${storage}"`);
  process.exit(1);
}
const args = ['dev', '--ip', '127.0.0.1', '--port', port, ...(storage ? ['--var', `STORAGE:${storage}`] : [])];
const child = spawn('wrangler', args, {
  stdio: 'inherit',
  shell: process.platform === 'win32',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
