"""Starting the SMTP sink (bench/smtp_sink.py) and reading its counters."""

import json
import smtplib
import sys
from pathlib import Path

from bench import procs


class Sink:
    def __init__(self, port: int, process: procs.Process):
        self.port, self.process = port, process

    def command(self, line: str) -> str:
        with smtplib.SMTP("127.0.0.1", self.port, timeout=60) as smtp:
            code, text = smtp.docmd(line)
            if code != 250:
                raise RuntimeError(f"sink answered {code} {text!r} to {line}")
            return text.decode()

    def reset(self):
        self.command("XRESET")

    def stats(self) -> dict:
        return json.loads(self.command("XSTATS"))

    def dump(self, path: Path) -> dict:
        self.command(f"XDUMP {path}")
        return json.loads(path.read_text())


def start_sink(workdir: Path) -> Sink:
    port = procs.free_port()
    process = procs.Process(
        "smtp-sink", [sys.executable, "bench/smtp_sink.py", "--port", str(port)],
        log_path=workdir / "smtp-sink.log").start()
    if not procs.wait_for_port(port, 15, process):
        raise RuntimeError(f"the SMTP sink did not start:\n{process.log()}")
    return Sink(port, process)


