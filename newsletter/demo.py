"""The newsletter's demo data for `manage.py load_demo` (NewsletterConfig.load_demo)."""

from django.utils import timezone

from newsletter.models import Subscriber

# Confirmed demo subscribers per language, and a few in other states.
DEMO_SUBSCRIBERS = [
    ("anna@example.org", "en", "confirmed"),
    ("john@example.org", "en", "confirmed"),
    ("alesia@example.org", "be", "confirmed"),
    ("mikalai@example.org", "be", "confirmed"),
    ("olga@example.org", "ru", "confirmed"),
    ("sergei@example.org", "ru", "confirmed"),
    ("pending@example.org", "ru", "pending"),
    ("left@example.org", "en", "unsubscribed"),
]




def subscribers_load() -> None:
    """The demo subscribers; running it again changes nothing."""
    for address, language, status in DEMO_SUBSCRIBERS:
        now = timezone.now()
        Subscriber.objects.get_or_create(
            email=address,
            defaults={
                "language": language,
                "status": status,
                "consent_at": now,
                "consent_source": "demo content (manage.py load_demo)",
                "confirmed_at": now if status != "pending" else None,
                "unsubscribed_at": now if status == "unsubscribed" else None,
            },
        )
