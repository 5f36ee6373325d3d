import pytest
from django.utils.translation import override


@pytest.fixture(autouse=True)
def _english_by_default():
    """A request in one test activates its language for the thread; start each test in English."""
    with override("en"):
        yield
