// `npm run dev:worker`'s last step: wrangler dev on 127.0.0.1, on PORT when set (default 8787). No
// database to migrate first: each clinic's Durable Object applies the bundled migrations when it wakes.
import { spawn } from 'node:child_process';

const port = process.env.PORT || '8787';
if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) {
  console.error(`PORT must be a port number, not "${port}"`);
  process.exit(1);
}
const child = spawn('wrangler', ['dev', '--ip', '127.0.0.1', '--port', port], {
  stdio: 'inherit',
  shell: process.platform === 'win32',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
