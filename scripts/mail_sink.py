"""A mail sink for the plain-process stack (scripts/stack.sh): an SMTP server
on loopback that writes every message it accepts, once per recipient, as a
.eml file in a folder, so a smoke test can count and read them.

    python scripts/mail_sink.py --port 2525 --dir var/stack/mail

Files appear whole (written to a temporary name, then renamed). It stops on
SIGTERM or SIGINT.
"""

import argparse
import itertools
import os
import re
import signal
import threading
from pathlib import Path

from aiosmtpd.controller import Controller


class FolderHandler:
    def __init__(self, folder: Path):
        self.folder = folder
        self.counter = itertools.count(1)
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        for rcpt in envelope.rcpt_tos:
            with self.lock:
                serial = next(self.counter)
            safe = re.sub(r"[^A-Za-z0-9@._-]", "_", rcpt)
            final = self.folder / f"{serial:06d}-{safe}.eml"
            partial = self.folder / f".{final.name}.part"
            partial.write_bytes(envelope.original_content or envelope.content)
            os.replace(partial, final)
        return "250 Message accepted"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", type=Path, required=True)
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    controller = Controller(
        FolderHandler(args.dir), hostname=args.host, port=args.port,
        decode_data=False, data_size_limit=20_000_000,
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    controller.start()
    print(f"mail sink: smtp://{args.host}:{args.port} -> {args.dir}", flush=True)
    stop.wait()
    controller.stop()
    print("mail sink: stopped", flush=True)


if __name__ == "__main__":
    main()
