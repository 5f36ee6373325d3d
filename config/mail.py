"""An email backend for the embedded default: one .eml file per message.

Django's file backend appends every message of a connection to one .log file;
a folder of .eml files is what a person can open in a mail client.
"""

import re
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

_counter = 0
_lock = threading.Lock()


class OutboxEmailBackend(BaseEmailBackend):
    def __init__(self, file_path=None, **kwargs):
        super().__init__(**kwargs)
        self.folder = Path(file_path or settings.EMAIL_FILE_PATH)

    def send_messages(self, email_messages):
        global _counter
        self.folder.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            with _lock:
                _counter += 1
                serial = _counter
            recipient = re.sub(r"[^A-Za-z0-9@._-]", "_", (message.to or ["unknown"])[0])
            name = f"{time.strftime('%Y%m%d-%H%M%S')}-{serial:06d}-{recipient}.eml"
            (self.folder / name).write_bytes(message.message().as_bytes(linesep="\n"))
            sent += 1
        return sent
