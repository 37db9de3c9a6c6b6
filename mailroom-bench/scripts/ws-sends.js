// Sends over one WebSocket (POST /v1/messages' bodies as {"type":"send"} frames), at most WINDOW
// waiting for their answers, and prints acknowledged sends per second. Node.js 18+ and the `ws`
// package (npm install ws@8), against a running server:
//   node ws-sends.js PORT TOKEN TARGET COUNT WINDOW      (DEFLATE=1 offers permessage-deflate)
const WebSocket = require('ws');
const [port, token, target, total, window] = process.argv.slice(2);
const N = parseInt(total, 10);
const W = parseInt(window, 10);
const ws = new WebSocket(`ws://127.0.0.1:${port}/v1/stream`, {
  perMessageDeflate: process.env.DEFLATE === '1',
  headers: { Authorization: 'Bearer ' + token },
});
let sent = 0;
let done = 0;
let errors = 0;
let started = 0n;
const frame = (i) => JSON.stringify({
  type: 'send',
  ref: 'r' + i,
  message: { mode: 'direct', target, content_type: 'text/plain', payload: 'x'.repeat(200) },
});
function pump() {
  while (sent < N && sent - done < W) {
    ws.send(frame(sent));
    sent++;
  }
}
ws.on('message', (data) => {
  const m = JSON.parse(data);
  if (m.type === 'connected') {
    started = process.hrtime.bigint();
    pump();
  } else if (m.type === 'sent' || (m.type === 'error' && m.ref)) {
    if (m.type === 'error' && ++errors <= 3) console.error(JSON.stringify(m));
    if (++done === N) {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      console.log(`sends ${N} window ${W} seconds ${seconds.toFixed(2)} per_second ${Math.round(N / seconds)} errors ${errors}`);
      ws.close();
    } else {
      pump();
    }
  }
});
ws.on('error', (e) => {
  console.error(e.message);
  process.exit(1);
});
