"""A minimal, fast SMTP sink for the benchmarks (its own process).

It speaks just enough ESMTP for smtplib and Django's SMTP backend: EHLO (with
8BITMIME and SIZE), HELO, MAIL, RCPT, DATA (to the terminating dot line, with
dot-unstuffing), RSET, NOOP, QUIT. It keeps nothing but counts: messages,
bytes, connections, and how many messages each recipient got.

Control commands on the same port, for the benchmark only:
  XSTATS          250 and the counters as one line of JSON
  XRESET          zero every counter
  XDUMP <path>    write the counters and the per-recipient counts to <path> (JSON)

    python bench/smtp_sink.py --port 2525 [--stats-file out.json]

SIGTERM writes the counters to --stats-file (when given) and exits.
"""

import argparse
import asyncio
import json
import signal
import time
from collections import Counter

TERMINATOR = b"\r\n.\r\n"


class Stats:
    def __init__(self):
        self.reset()

    def reset(self):
        self.messages = 0
        self.deliveries = 0
        self.bytes = 0
        self.connections = 0
        self.min_size = None
        self.max_size = 0
        self.first_at = None
        self.last_at = None
        self.per_recipient: Counter = Counter()

    def add(self, size: int, recipients: list[bytes]):
        now = time.monotonic()
        if self.first_at is None:
            self.first_at = now
        self.last_at = now
        self.messages += 1
        self.bytes += size
        self.min_size = size if self.min_size is None else min(self.min_size, size)
        self.max_size = max(self.max_size, size)
        for rcpt in recipients:
            self.deliveries += 1
            self.per_recipient[rcpt] += 1

    def summary(self) -> dict:
        counts = self.per_recipient.values()
        return {
            "messages": self.messages,
            "deliveries": self.deliveries,
            "bytes": self.bytes,
            "connections": self.connections,
            "min_size": self.min_size or 0,
            "max_size": self.max_size,
            "mean_size": round(self.bytes / self.messages) if self.messages else 0,
            "distinct_recipients": len(self.per_recipient),
            "duplicates": sum(c - 1 for c in counts if c > 1),
            "seconds": (self.last_at - self.first_at) if self.messages > 1 else 0.0,
        }


STATS = Stats()


def _address(arg: bytes) -> bytes:
    """The address in `FROM:<a@b> SIZE=1` / `TO:<a@b>`."""
    start, end = arg.find(b"<"), arg.find(b">")
    if start >= 0 and end > start:
        return arg[start + 1 : end].lower()
    return arg.partition(b":")[2].strip().split(b" ")[0].lower()


class Session(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        self.buf = bytearray()
        self.in_data = False
        self.scan_from = 0
        self.mail_from = None
        self.rcpts: list[bytes] = []
        self.control = False  # control connections are not counted
        STATS.connections += 1
        transport.write(b"220 bench-sink ESMTP\r\n")

    def data_received(self, data):
        self.buf += data
        write = self.transport.write
        while True:
            if self.in_data:
                if self.buf[:3] == b".\r\n" and self.scan_from == 0:  # empty message
                    end, body_end = 3, 0
                else:
                    i = self.buf.find(TERMINATOR, max(self.scan_from - 4, 0))
                    if i < 0:
                        self.scan_from = len(self.buf)
                        return
                    end, body_end = i + 5, i + 2
                body = bytes(self.buf[:body_end])
                del self.buf[:end]
                self.in_data = False
                self.scan_from = 0
                # Dot-unstuffing: a leading ".." on any line stands for ".".
                size = len(body) - body.count(b"\r\n..") - (1 if body[:2] == b".." else 0)
                STATS.add(size, self.rcpts)
                self.mail_from, self.rcpts = None, []
                write(b"250 2.0.0 OK queued\r\n")
                continue
            i = self.buf.find(b"\r\n")
            if i < 0:
                if len(self.buf) > 4096:
                    write(b"500 5.5.2 Line too long\r\n")
                    self.buf.clear()
                return
            line = bytes(self.buf[:i])
            del self.buf[: i + 2]
            verb, _sp, arg = line.partition(b" ")
            verb = verb.upper()
            if verb == b"MAIL":
                self.mail_from, self.rcpts = _address(arg), []
                write(b"250 2.1.0 OK\r\n")
            elif verb == b"RCPT":
                if self.mail_from is None:
                    write(b"503 5.5.1 MAIL first\r\n")
                else:
                    self.rcpts.append(_address(arg))
                    write(b"250 2.1.5 OK\r\n")
            elif verb == b"DATA":
                if not self.rcpts:
                    write(b"503 5.5.1 RCPT first\r\n")
                else:
                    self.in_data = True
                    write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
            elif verb == b"EHLO":
                write(b"250-bench-sink\r\n250-8BITMIME\r\n250-SIZE 52428800\r\n"
                      b"250 ENHANCEDSTATUSCODES\r\n")
            elif verb == b"HELO":
                write(b"250 bench-sink\r\n")
            elif verb == b"RSET":
                self.mail_from, self.rcpts = None, []
                write(b"250 2.0.0 OK\r\n")
            elif verb == b"NOOP":
                write(b"250 2.0.0 OK\r\n")
            elif verb == b"QUIT":
                write(b"221 2.0.0 Bye\r\n")
                self.transport.close()
                return
            elif verb == b"XSTATS":
                self._is_control()
                write(b"250 " + json.dumps(STATS.summary()).encode() + b"\r\n")
            elif verb == b"XRESET":
                STATS.reset()
                self.control = True
                write(b"250 2.0.0 reset\r\n")
            elif verb == b"XDUMP":
                self._is_control()
                dump(arg.decode())
                write(b"250 2.0.0 dumped\r\n")
            else:
                write(b"500 5.5.2 Unknown command\r\n")

    def _is_control(self):
        if not self.control:
            self.control = True
            STATS.connections -= 1


def dump(path: str):
    payload = STATS.summary()
    payload["per_recipient"] = {k.decode(): v for k, v in STATS.per_recipient.items()}
    with open(path, "w") as f:
        json.dump(payload, f)


async def main(port: int, stats_file: str | None):
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Session, "127.0.0.1", port, backlog=512)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with server:
        await stop.wait()
    if stats_file:
        dump(stats_file)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--stats-file")
    options = parser.parse_args()
    asyncio.run(main(options.port, options.stats_file))
