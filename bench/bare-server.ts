// The baseline: a bare node:http server that answers every request with the
// same JSON bytes (a stored customer's JSON, read from the file in argv[2]).
// It reads request bodies to the end, as a real server must.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const body = readFileSync(process.argv[2]!);
const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
    response.end(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  console.log(`bare server listening on http://127.0.0.1:${address.port}`);
});
process.once('SIGTERM', () => process.exit(0));
