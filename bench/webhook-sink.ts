// The benchmark's webhook endpoint, in a process of its own: a bare node:http
// server that reads each POST, parses the event and notes when it arrived
// (Unix ms with fractions, comparable across processes) under the id of the
// event's object. GET /results returns those times; DELETE /results forgets them.
import { createServer } from 'node:http';

const now = () => performance.timeOrigin + performance.now();
let arrivals = new Map<string, number>();

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    if (request.method === 'POST') {
      const at = now();
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: { object: { id: string } } };
      if (!arrivals.has(event.data.object.id)) arrivals.set(event.data.object.id, at);
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    } else if (request.method === 'GET') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(Object.fromEntries(arrivals)));
    } else {
      arrivals = new Map();
      response.writeHead(204).end();
    }
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  console.log(`webhook sink listening on http://127.0.0.1:${address.port}`);
});
process.once('SIGTERM', () => process.exit(0));
