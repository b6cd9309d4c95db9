"""The token check on its own: real PyJWT tokens, real RSA keys, every way a token fails."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any, Dict

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from engineio.base_server import BaseServer

from server.channels.auth import PUBLIC_KEY_ENV, SECRET_ENV, AuthError, ConfigError, TokenVerifier, valid_sender

SECRET = "s" * 40


def claims(**overrides: Any) -> Dict[str, Any]:
    now = int(time.time())
    return {"sub": "alice", "iat": now, "exp": now + 300, **overrides}


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def public_pem(key: Any) -> str:
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def test_no_key_means_no_token_check() -> None:
    assert TokenVerifier.from_env({}) is None


def test_hs256_gives_the_subject() -> None:
    verifier = TokenVerifier.from_env({SECRET_ENV: SECRET})
    assert verifier and verifier.algorithm == "HS256"
    assert verifier.subject(jwt.encode(claims(), SECRET, algorithm="HS256")) == "alice"


def test_rs256_gives_the_subject(rsa_key: rsa.RSAPrivateKey) -> None:
    verifier = TokenVerifier.from_env({PUBLIC_KEY_ENV: public_pem(rsa_key)})
    assert verifier and verifier.algorithm == "RS256"
    assert verifier.subject(jwt.encode(claims(sub="bob"), rsa_key, algorithm="RS256")) == "bob"


@pytest.mark.parametrize("token, reason", [
    (jwt.encode(claims(exp=int(time.time()) - 120), SECRET, algorithm="HS256"), "expired"),
    (jwt.encode(claims(), "x" * 40, algorithm="HS256"), "signature"),
    (jwt.encode({"sub": "alice", "iat": int(time.time())}, SECRET, algorithm="HS256"), "'exp'"),
    (jwt.encode({"exp": int(time.time()) + 300, "iat": int(time.time())}, SECRET, algorithm="HS256"), "'sub'"),
    (jwt.encode({"sub": "alice", "exp": int(time.time()) + 300}, SECRET, algorithm="HS256"), "'iat'"),
    (jwt.encode(claims(iat=int(time.time()) + 3600, exp=int(time.time()) + 4000), SECRET, algorithm="HS256"),
     "not valid"),
    (jwt.encode(claims(exp=4102444800), SECRET, algorithm="HS256"), "lives longer"),
    (jwt.encode(claims(sub="x" * 129), SECRET, algorithm="HS256"), "at most 128"),
    (jwt.encode(claims(sub="dr victim"), SECRET, algorithm="HS256"), "'sub' must be"),
    (jwt.encode(claims(sub=""), SECRET, algorithm="HS256"), "sub"),
    (jwt.encode(claims(), SECRET, algorithm="HS512"), "not valid"),
    (jwt.encode(claims(), None, algorithm="none"), "not valid"),
    ("not.a.jwt", "not valid"),
])
def test_a_bad_token_is_refused_with_a_reason(token: str, reason: str) -> None:
    verifier = TokenVerifier.from_env({SECRET_ENV: SECRET})
    with pytest.raises(AuthError, match=reason):
        verifier.subject(token)


def test_rs256_refuses_an_hs256_token_signed_with_the_public_key(rsa_key: rsa.RSAPrivateKey) -> None:
    """The classic algorithm confusion: the algorithm comes from the configuration."""
    pem = public_pem(rsa_key)
    verifier = TokenVerifier.from_env({PUBLIC_KEY_ENV: pem})
    signed = b64(b'{"alg":"HS256","typ":"JWT"}') + "." + b64(json.dumps(claims()).encode())
    signature = hmac.new(pem.encode(), signed.encode(), hashlib.sha256).digest()
    with pytest.raises(AuthError):
        verifier.subject(signed + "." + b64(signature))


def test_audience_and_issuer_are_checked_when_configured() -> None:
    verifier = TokenVerifier.from_env({SECRET_ENV: SECRET}, audience="codecare", issuer="https://sso.test")
    good = claims(aud="codecare", iss="https://sso.test")
    assert verifier.subject(jwt.encode(good, SECRET, algorithm="HS256")) == "alice"
    for bad in ({**good, "aud": "payroll"}, {**good, "iss": "https://evil.test"}):
        with pytest.raises(AuthError):
            verifier.subject(jwt.encode(bad, SECRET, algorithm="HS256"))


@pytest.mark.parametrize("environment, reason", [
    ({SECRET_ENV: "short"}, "at least 32 bytes"),
    ({SECRET_ENV: SECRET, PUBLIC_KEY_ENV: "x"}, "not both"),
    ({PUBLIC_KEY_ENV: "not a key"}, "not a PEM public key"),
])
def test_an_unusable_key_stops_the_start(environment: Dict[str, str], reason: str) -> None:
    with pytest.raises(ConfigError, match=reason):
        TokenVerifier.from_env(environment)


def test_rs256_needs_an_rsa_key() -> None:
    pem = public_pem(ec.generate_private_key(ec.SECP256R1()))
    with pytest.raises(ConfigError, match="RSA"):
        TokenVerifier.from_env({PUBLIC_KEY_ENV: pem})


def test_audience_and_issuer_come_from_the_environment_and_are_required() -> None:
    env = {SECRET_ENV: SECRET, "CODECARE_JWT_AUDIENCE": "codecare", "CODECARE_JWT_ISSUER": "https://sso.test"}
    verifier = TokenVerifier.from_env(env)
    good = claims(aud="codecare", iss="https://sso.test")
    assert verifier.subject(jwt.encode(good, SECRET, algorithm="HS256")) == "alice"
    for missing, reason in (("aud", "'aud'"), ("iss", "'iss'")):
        token = jwt.encode({k: v for k, v in good.items() if k != missing}, SECRET, algorithm="HS256")
        with pytest.raises(AuthError, match=reason):
            verifier.subject(token)
    with pytest.raises(AuthError, match="audience"):
        verifier.subject(jwt.encode({**good, "aud": "payroll"}, SECRET, algorithm="HS256"))
    with pytest.raises(AuthError, match="issuer"):
        verifier.subject(jwt.encode({**good, "iss": "https://evil.test"}, SECRET, algorithm="HS256"))


def test_the_lifetime_cap_comes_from_the_environment() -> None:
    verifier = TokenVerifier.from_env({SECRET_ENV: SECRET, "CODECARE_JWT_MAX_LIFETIME": "600"})
    assert verifier.subject(jwt.encode(claims(exp=int(time.time()) + 600), SECRET, algorithm="HS256"))
    with pytest.raises(AuthError, match="longer than 600"):
        verifier.subject(jwt.encode(claims(exp=int(time.time()) + 601 + 0), SECRET, algorithm="HS256"))


def test_an_email_identity_is_hashed_with_the_key_and_refused_without() -> None:
    from server.channels.auth import HASH_PREFIX, conversation_key, identify

    token = jwt.encode(claims(sub="Dr.Victim@example-hospital.org"), SECRET, algorithm="HS256")
    keyed = TokenVerifier.from_env({SECRET_ENV: SECRET, "CODECARE_SENDER_HASH_KEY": "k" * 32})
    sender = identify(keyed, token, None)
    assert sender.startswith(HASH_PREFIX) and "example-hospital" not in sender and len(sender) <= 128
    assert sender == conversation_key("dr.victim@example-hospital.org", "k" * 32)  # case-insensitive
    assert sender != conversation_key("dr.victim@example-hospital.org", "j" * 32)  # keyed
    assert conversation_key("nurse-7", "") == "nurse-7"  # an opaque id is kept as it is
    unkeyed = TokenVerifier.from_env({SECRET_ENV: SECRET})
    with pytest.raises(Exception, match="CODECARE_SENDER_HASH_KEY"):
        identify(unkeyed, token, None)


def test_every_socketio_id_is_a_valid_sender() -> None:
    """Without sign-on a Socket.IO conversation is keyed by its socket id; an id refused
    here is a socket whose every message is dropped (about one in thirty once did)."""
    server = BaseServer()
    ids = [server.generate_id() for _ in range(5000)]
    assert any(i[0] in "-_" for i in ids)
    assert [i for i in ids if not valid_sender(i)] == []


@pytest.mark.parametrize("sender", ["", "two words", "x" * 129, "a/b", "é", "a\nb", None, 42])
def test_a_sender_outside_the_rule_is_invalid(sender: Any) -> None:
    assert not valid_sender(sender)
