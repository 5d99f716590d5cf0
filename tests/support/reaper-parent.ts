// A stand-in for `npm run dev` in tests: starts a reaper, tells it about the process group
// given as argv[2], prints "ready <reaper pid>" and waits to be killed.
import { startReaper } from '../../scripts/lib/reaper.ts';
import { refOf } from '../../scripts/lib/processes.ts';

const reaper = startReaper();
reaper.tell({ service: { ...refOf(Number(process.argv[2])), name: 'sleeper' } });
process.stdout.write(`ready ${reaper.ref.pid}\n`);
setInterval(() => undefined, 60_000);
