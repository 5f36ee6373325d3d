"""Whatever is typed into the box or uploaded as a list: a clear answer, never a 500."""

import pytest
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsletter import csvio
from tests.newsletter.helpers import subscribe_url


@pytest.mark.django_db
@override_settings(NEWSLETTER_SUBSCRIBE_RATE_PER_IP="100000/h",
                   NEWSLETTER_SUBSCRIBE_RATE_PER_ADDRESS="100000/h")
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(email=st.text(max_size=400), language=st.text(max_size=12), website=st.text(max_size=5))
def test_any_form_input_gets_a_clear_status(client, email, language, website):
    response = client.post(
        subscribe_url(), {"email": email, "language": language, "website": website},
        REMOTE_ADDR="192.0.2.200",
    )
    assert response.status_code in (200, 400)


@settings(max_examples=200, deadline=None)
@given(data=st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(lambda t: ("email,language\n" + t).encode()),
))
def test_any_file_is_parsed_or_rejected_with_a_message(data):
    try:
        parsed = csvio.parse(data, languages={"en", "be", "ru"}, default_language="en")
    except csvio.FileRejected as exc:
        assert str(exc)
    else:
        assert all(problem.reason for problem in parsed.problems)
        assert all(row.language in {"en", "be", "ru"} for row in parsed.rows)
