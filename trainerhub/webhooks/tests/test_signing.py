"""The signature header: what the README's snippet checks, checked the same way here."""

from __future__ import annotations

import hashlib
import hmac

from trainerhub.webhooks import signing

SECRET = "whsec_test"
BODY = b'{"version":1,"type":"booking.created"}'


def test_the_header_is_the_hmac_of_timestamp_dot_body():
    header = signing.sign(SECRET, BODY, timestamp=1_700_000_000)
    expected = hmac.new(SECRET.encode(), b"1700000000." + BODY, hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"


def test_a_fresh_signature_verifies():
    header = signing.sign(SECRET, BODY, timestamp=1_700_000_000)
    assert signing.verify(SECRET, header, BODY, now=1_700_000_100)


def test_another_body_secret_or_timestamp_does_not_verify():
    header = signing.sign(SECRET, BODY, timestamp=1_700_000_000)
    assert not signing.verify(SECRET, header, BODY + b" ", now=1_700_000_000)
    assert not signing.verify("whsec_other", header, BODY, now=1_700_000_000)
    forged = header.replace("t=1700000000", "t=1700000001")
    assert not signing.verify(SECRET, forged, BODY, now=1_700_000_000)


def test_an_old_signature_is_refused_as_a_replay():
    header = signing.sign(SECRET, BODY, timestamp=1_700_000_000)
    assert not signing.verify(SECRET, header, BODY, now=1_700_000_000 + 301)


def test_a_garbled_header_is_refused():
    for header in ("", "t=abc,v1=00", "v1=00", "nonsense"):
        assert not signing.verify(SECRET, header, BODY, now=1_700_000_000)


def test_secrets_are_long_and_distinct():
    a, b = signing.new_secret(), signing.new_secret()
    assert a != b and a.startswith("whsec_") and len(a) > 40
