"""A real SMTP server for the tests (aiosmtpd), with faults on demand."""

import email
import email.policy
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller


@dataclass
class Faults:
    # address -> "550 5.1.1 No such user": refused for good at RCPT
    reject: dict = field(default_factory=dict)
    # address -> how many times to answer 451 at RCPT before accepting
    defer: dict = field(default_factory=dict)
    # drop the connection (without answering) at every n-th MAIL FROM; 0 = never
    drop_every: int = 0
    # answer 421 and close at every n-th MAIL FROM; 0 = never
    close_every: int = 0
    # refuse every connection attempt while True (the server is "down")
    down: bool = False


class Handler:
    def __init__(self, sink):
        self.sink = sink

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        if self.sink.faults.down:
            server.transport.close()
        session.host_name = hostname
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        with self.sink.lock:
            self.sink.mail_commands += 1
            n = self.sink.mail_commands
        faults = self.sink.faults
        if faults.down or (faults.drop_every and n % faults.drop_every == 0):
            self.sink.drops += 1
            server.transport.abort()
            return "421 4.3.0 dropped"
        if faults.close_every and n % faults.close_every == 0:
            self.sink.drops += 1
            server.transport.close()
            return "421 4.3.2 Closing connection"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        faults = self.sink.faults
        if address in faults.reject:
            return faults.reject[address]
        with self.sink.lock:
            left = faults.defer.get(address, 0)
            if left:
                faults.defer[address] = left - 1
                self.sink.deferred += 1
                return "451 4.7.1 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.sink.lock:
            for rcpt in envelope.rcpt_tos:
                self.sink.messages.append((rcpt, message, envelope.content))
                self.sink.envelopes.append(
                    (envelope.mail_from, rcpt, tuple(envelope.mail_options)))
                self.sink.received_at.append(time.monotonic())
                self.sink.per_recipient[rcpt] += 1
        return "250 Message accepted"


class SMTPSink:
    def __init__(self, port: int = 0, *, smtputf8: bool = True):
        self.faults = Faults()
        self.smtputf8 = smtputf8  # offer SMTPUTF8 (RFC 6531) in the EHLO answer
        self.messages = []
        self.envelopes = []  # (MAIL FROM, RCPT TO, MAIL options) per accepted recipient
        self.received_at = []  # time.monotonic() of each accepted message
        self.per_recipient = Counter()
        self.lock = threading.Lock()
        self.mail_commands = 0
        self.drops = 0
        self.deferred = 0
        self.port = port or free_port()
        self.controller = None

    def start(self):
        """Listen (again, after stop(): a controller cannot be restarted)."""
        self.controller = Controller(
            Handler(self), hostname="127.0.0.1", port=self.port, decode_data=False,
            data_size_limit=10_000_000, enable_SMTPUTF8=self.smtputf8,
        )
        self.controller.start()
        return self

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.port}"

    def for_address(self, address):
        return [m for rcpt, m, _raw in self.messages if rcpt == address]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
