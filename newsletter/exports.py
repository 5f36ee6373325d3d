"""Reads that take subscriber data out: one subscriber's data for themselves."""


def _iso(value):
    return value.isoformat() if value else None


def personal_data(subscriber) -> dict:
    """Everything stored about one subscriber, for them to download (GDPR Art. 15, 20)."""
    return {
        "email": subscriber.email,
        "language": subscriber.language,
        "status": subscriber.status,
        "created_at": _iso(subscriber.created_at),
        "confirmation_sent_at": _iso(subscriber.confirmation_sent_at),
        "confirmed_at": _iso(subscriber.confirmed_at),
        "unsubscribed_at": _iso(subscriber.unsubscribed_at),
        "bounced_at": _iso(subscriber.bounced_at),
        "bounce_reason": subscriber.bounce_reason,
        "consent": {
            "given_at": _iso(subscriber.consent_at),
            "source": subscriber.consent_source,
            "ip_address": subscriber.consent_ip,
            "user_agent": subscriber.consent_user_agent,
            "text": subscriber.consent_text,
            "text_version": subscriber.consent_version,
        },
        "consent_history": [
            {
                "requested_at": _iso(record.requested_at),
                "confirmed_at": _iso(record.confirmed_at),
                "language": record.language,
                "shown_language": record.shown_language,
                "source": record.source,
                "ip_address": record.ip,
                "user_agent": record.user_agent,
                "text": record.text,
                "text_version": record.version,
            }
            for record in subscriber.consents.all()
        ],
        "updated_at": _iso(subscriber.updated_at),
    }
