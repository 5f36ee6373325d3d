"""What DKIM costs per recipient: the newsletter's per-recipient bytes filled in
(the sender's own path, no SMTP), without and with a DKIM signature.

No database and no SMTP: a message of the newsletter's size (text and HTML
parts, about 30 KB) is built once as the sender builds it, then filled in for
`count` recipients, and signed (rsa-sha256, a 2048-bit key)
as newsletter/sending.py signs it (relaxed/simple).

    .venv/bin/python bench/dkim_cost.py --count 2000

Prints one line of JSON: per-message microseconds unsigned and signed, and the
messages per second one process could sign.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    options = parser.parse_args(argv)

    import django

    django.setup()
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from django.conf import settings

    from config.env import dkim_settings
    from newsletter import dkim_signature, sending

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM,
                            serialization.PrivateFormat.TraditionalOpenSSL,
                            serialization.NoEncryption()).decode()
    settings.DKIM = dkim_settings({"DKIM_DOMAIN": "bulletin.example", "DKIM_SELECTOR": "bench",
                                   "DKIM_PRIVATE_KEY": pem})
    article = ("<h3><a href=\"https://bulletin.example/en/a/\">Minsk and Moscow discuss oil</a>"
               "</h3><p class=\"lead\">Talks on oil supplies stalled again &amp; again.</p>\n")
    html = (f"<html><body><p>{sending.UNSUBSCRIBE}</p>" + article * 120
            + f"<a href=\"{sending.PREFERENCES}\">prefs</a></body></html>")
    text = ("Minsk and Moscow discuss oil supplies.\n" * 200
            + f"\nUnsubscribe: {sending.UNSUBSCRIBE}\n")
    template = sending.MessageTemplate(
        subject="Belarus Weekly · November 12 – November 18, 2018", text=text, html=html,
        from_email="Belarus Weekly <bulletin@bulletin.example>", language="en",
        list_id="Belarus Weekly (en) <newsletter-en.bulletin.example>")
    parts = sending.PersonalParts("en")
    recipients = [sending.Recipient(i, i, f"reader{i}@example.org", f"m{i}@bulletin.example")
                  for i in range(1, options.count + 1)]

    def run(sign: bool) -> float:
        start = time.perf_counter()
        for recipient in recipients:
            filled = parts(recipient)
            raw = template.render(filled)
            if sign:
                raw = dkim_signature.signature_header(raw) + template.render_wire(filled)
            else:
                template.render_wire(filled)
        return (time.perf_counter() - start) / len(recipients)

    run(False)  # warm-up
    unsigned, signed = run(False), run(True)
    print(json.dumps({
        "count": options.count,
        "message_bytes": len(template.render(parts(recipients[0]))),
        "unsigned_us": round(unsigned * 1e6, 1),
        "signed_us": round(signed * 1e6, 1),
        "dkim_us": round((signed - unsigned) * 1e6, 1),
        "signed_per_second_one_process": round(1 / signed),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
