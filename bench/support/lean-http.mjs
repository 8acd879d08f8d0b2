/**
 * A lean HTTP/1.1 keep-alive client for the storm benches: requests go out as one string on a pooled raw socket and
 * responses are read with a small parser (status line, Content-Length or chunked body). Node's http client spends
 * about 130 µs of CPU a request (ClientRequest, IncomingMessage, streams, the agent); on a 2-core machine that runs the
 * API, MariaDB and the load generator together, that CPU is taken from the system under test. This client does the
 * same work (one request per socket at a time, no pipelining, the body read and parsed as JSON) in a fraction of it.
 *
 * Latency is measured from the call, so time spent waiting for a free socket counts, as with Node's agent.
 * A socket idle longer than IDLE_MS is not reused (the server may be closing it); a request whose reused socket
 * closes before any byte of the answer arrives is sent once more on a new socket when it is a GET or PUT (idempotent),
 * and fails with status 0 otherwise, as Node's client would.
 */
import net from 'node:net';

const IDLE_MS = 4000;
const CRLF2 = Buffer.from('\r\n\r\n');

export function createLeanClient(base, { maxSockets = 256 } = {}) {
  const url = new URL(base);
  const host = url.hostname;
  const port = Number(url.port || 80);
  const hostHeader = url.host;
  const idle = []; // LIFO, like Node's agent
  const waiting = [];
  let open = 0;

  function release(conn) {
    if (conn.closed) return;
    const next = waiting.shift();
    if (next) {
      send(conn, next, true);
      return;
    }
    conn.lastUsed = performance.now();
    idle.push(conn);
  }

  function connect() {
    open++;
    const socket = net.connect({ host, port, noDelay: true });
    const conn = { socket, job: null, buf: null, closed: false, lastUsed: 0, reused: false };
    socket.on('data', (chunk) => onData(conn, chunk));
    socket.on('error', () => {}); // answered by 'close'
    socket.on('close', () => {
      conn.closed = true;
      open--;
      const i = idle.indexOf(conn);
      if (i >= 0) idle.splice(i, 1);
      const job = conn.job;
      conn.job = null;
      if (job) {
        if (conn.reused && !conn.buf && (job.method === 'GET' || job.method === 'PUT') && !job.retried) {
          job.retried = true;
          dispatch(job);
        } else job.resolve({ status: 0, body: { message: 'connection closed before the answer' }, ms: performance.now() - job.started });
      }
      if (waiting.length && open < maxSockets) dispatch(waiting.shift());
    });
    return conn;
  }

  function send(conn, job, reused) {
    conn.job = job;
    conn.buf = null;
    conn.reused = reused;
    conn.socket.write(job.bytes);
  }

  function dispatch(job) {
    const now = performance.now();
    while (idle.length) {
      const conn = idle.pop();
      if (now - conn.lastUsed < IDLE_MS) {
        send(conn, job, true);
        return;
      }
      conn.socket.destroy();
    }
    if (open < maxSockets) send(connect(), job, false);
    else waiting.push(job);
  }

  function onData(conn, chunk) {
    const job = conn.job;
    if (!job) {
      conn.socket.destroy(); // bytes nobody asked for
      return;
    }
    const buf = (conn.buf = conn.buf ? Buffer.concat([conn.buf, chunk]) : chunk);
    const headEnd = buf.indexOf(CRLF2);
    if (headEnd < 0) return;
    const head = buf.toString('latin1', 0, headEnd).toLowerCase();
    const status = Number(head.slice(9, 12));
    const bodyStart = headEnd + 4;
    let body;
    const lengthAt = head.indexOf('\r\ncontent-length:');
    if (lengthAt >= 0) {
      const end = head.indexOf('\r\n', lengthAt + 2);
      const length = Number(head.slice(lengthAt + 17, end < 0 ? undefined : end).trim());
      if (buf.length < bodyStart + length) return;
      body = buf.subarray(bodyStart, bodyStart + length);
    } else if (head.includes('\r\ntransfer-encoding: chunked')) {
      body = dechunk(buf, bodyStart);
      if (!body) return;
    } else if (status === 204 || status === 304 || status < 200) {
      body = Buffer.alloc(0);
    } else {
      return; // read until close: not used by the servers these benches drive
    }
    conn.job = null;
    const text = body.toString('utf8');
    let json = null;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch {
        /* not JSON */
      }
    }
    job.resolve({ status, body: json, ms: performance.now() - job.started });
    if (head.includes('\r\nconnection: close')) conn.socket.destroy();
    else release(conn);
  }

  /** The body of a complete chunked message, or null while it is incomplete. */
  function dechunk(buf, at) {
    const parts = [];
    for (;;) {
      const lineEnd = buf.indexOf('\r\n', at);
      if (lineEnd < 0) return null;
      const size = parseInt(buf.toString('latin1', at, lineEnd), 16);
      if (size === 0) return buf.indexOf(CRLF2, lineEnd) >= 0 ? Buffer.concat(parts) : null;
      if (buf.length < lineEnd + 2 + size + 2) return null;
      parts.push(buf.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
  }

  /** `request('PUT', '/path', token, body)` → { status, body (parsed JSON or null), ms }. */
  function request(method, path, token, body) {
    const payload = body === undefined ? '' : JSON.stringify(body);
    let head = `${method} ${path} HTTP/1.1\r\nHost: ${hostHeader}\r\n`;
    if (token) head += `Authorization: Bearer ${token}\r\n`;
    if (payload) head += `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n`;
    else if (method !== 'GET') head += 'Content-Length: 0\r\n';
    return new Promise((resolve) => dispatch({ method, bytes: head + '\r\n' + payload, resolve, started: performance.now(), retried: false }));
  }

  function close() {
    for (const conn of idle.splice(0)) conn.socket.destroy();
  }

  return { request, close };
}
