"""Helpers for staff sign-in tests: logging in through the real admin login."""

import time

from django_otp.oath import TOTP

LOGIN = "/admin/login/"


def login(client, username, password, code="", **meta):
    return client.post(LOGIN, {"username": username, "password": password, "otp_token": code,
                               "next": "/admin/"}, **meta)


def code(device, ahead=0) -> str:
    """The code an authenticator app shows now (or `ahead` steps later: a code
    is accepted once, so a second login in one test uses the next one)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + ahead)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"
