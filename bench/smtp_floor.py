"""The SMTP floor: one plain Python process, one SMTP connection, prebuilt messages.

It sends `count` messages with smtplib's sendmail(), cycling through the
given .eml files (real messages from our dispatch, one per language), to
recipients floor-<i>@example.org. No Django, no database, no rendering: what
is left is the cost of SMTP itself, on the client and the sink.

    python bench/smtp_floor.py --port 2525 --count 10000 msg-en.eml msg-be.eml msg-ru.eml

Prints one line of JSON: {"count": ..., "seconds": ..., "bytes": ...}.
"""

import argparse
import json
import smtplib
import sys
import time


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--sender", default="bulletin@localhost")
    parser.add_argument("messages", nargs="+")
    options = parser.parse_args(argv)
    messages = []
    for path in options.messages:
        with open(path, "rb") as f:
            messages.append(f.read())
    smtp = smtplib.SMTP(options.host, options.port, timeout=30)
    smtp.ehlo()
    mail_options = ["BODY=8BITMIME"] if smtp.has_extn("8bitmime") else []
    total = 0
    n = len(messages)
    start = time.perf_counter()
    for i in range(options.count):
        message = messages[i % n]
        smtp.sendmail(options.sender, [f"floor-{i}@example.org"], message, mail_options)
        total += len(message)
    seconds = time.perf_counter() - start
    smtp.quit()
    json.dump({"count": options.count, "seconds": seconds, "bytes": total}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
