"""A real IMAP server for the tests: Debian's Dovecot (dovecot-imapd), started
in the foreground with its own configuration in a temporary directory, on a
free port, with one mailbox (user `bounces`)."""

import imaplib
import os
import pwd
import shutil
import subprocess
import tempfile
import time

from tests.smtp import free_port

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "bounces", "imap-test-password"

CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = dovecot
default_login_user = dovenull
first_valid_uid = 1
first_valid_gid = 1
passdb {{
  driver = passwd-file
  args = {root}/passwd
}}
userdb {{
  driver = static
  args = uid=dovecot gid=dovecot home={root}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  chroot =
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


def available() -> bool:
    try:
        pwd.getpwnam("dovecot")
    except KeyError:
        return False
    return os.path.exists(DOVECOT) and os.geteuid() == 0


class Dovecot:
    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="bulletin-imap-")
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"imap://{USER}:{PASSWORD}@127.0.0.1:{self.port}/INBOX"

    def start(self):
        os.chmod(self.root, 0o755)  # noqa: S103 - the dovecot user reads its mailbox below
        home = os.path.join(self.root, "home")
        os.makedirs(home)
        user = pwd.getpwnam("dovecot")
        os.chown(home, user.pw_uid, user.pw_gid)
        with open(os.path.join(self.root, "passwd"), "w") as handle:
            handle.write(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        config = os.path.join(self.root, "dovecot.conf")
        with open(config, "w") as handle:
            handle.write(CONFIG.format(root=self.root, port=self.port))
        self.process = subprocess.Popen([DOVECOT, "-F", "-c", config])
        deadline = time.monotonic() + 15
        while True:
            try:
                self.client().logout()
                return self
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("dovecot did not start: " + self.log()) from None
                time.sleep(0.1)

    def log(self) -> str:
        try:
            with open(os.path.join(self.root, "dovecot.log")) as handle:
                return handle.read()[-2000:]
        except OSError:
            return ""

    def client(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        client.login(USER, PASSWORD)
        return client

    def deliver(self, raw: bytes):
        """Put a message in the INBOX, as the MTA's local delivery would."""
        client = self.client()
        try:
            kind, data = client.append("INBOX", None, None, raw)
            assert kind == "OK", data
        finally:
            client.logout()

    def count(self) -> int:
        client = self.client()
        try:
            kind, data = client.select("INBOX")
            return int(data[0])
        finally:
            client.logout()

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
        shutil.rmtree(self.root, ignore_errors=True)
