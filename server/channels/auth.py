"""Who is speaking: one identity rule for every channel (`rest`, `socketio`, `codecare`).

Hospitals sign users on once (single sign-on) and hand the widget a short-lived JWT. With a
signing key configured, every channel checks that token and takes the sender id from its
`sub` alone, so a user can neither speak as nor continue another user's conversation.

- The token must carry `sub`, `exp` and `iat`, may live at most
  `codecare.settings.jwt_max_lifetime()` (exp - iat), and must name the configured audience
  and issuer (CODECARE_JWT_AUDIENCE / CODECARE_JWT_ISSUER, or a channel's credentials).
- Every sender id, from a token or from a client without sign-on, is `SENDER`: letters,
  digits and ._:@- , at most 128 characters; anything else never reaches the tracker store.
- An email address is personal data and must not become the conversation key stored and
  logged everywhere: a `sub` with an '@' is replaced by `hash_sender(sub)`, an HMAC-SHA256
  under CODECARE_SENDER_HASH_KEY. Without that key such a token is refused (401), never
  stored in clear. `python -m admin erase <email>` hashes the address the same way.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import re
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Union

import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from codecare import settings

logger = logging.getLogger(__name__)

SECRET_ENV = "CODECARE_JWT_SECRET"
PUBLIC_KEY_ENV = "CODECARE_JWT_PUBLIC_KEY"
HASH_KEY_ENV = "CODECARE_SENDER_HASH_KEY"
MIN_SECRET_BYTES = 32  # RFC 7518 3.2: an HS256 key at least as long as the hash
LEEWAY_SECONDS = 30  # clock skew between the sign-on server and this one
SENDER = re.compile(r"[A-Za-z0-9._:@-]{1,128}")  # Socket.IO ids are base64url: "_" or "-" may come first
SENDER_RULE = "an id of letters, digits and ._:@- (at most 128 characters)"
HASH_PREFIX = "h-"


class AuthError(Exception):
    """A request whose token does not prove who sent it; the message says why."""


class ConfigError(ValueError):
    """The signing key in the environment cannot be used; raised at start-up."""


def valid_sender(sender: Any) -> bool:
    """Whether a sender id may become a conversation key (the store's column is 255 wide)."""
    return isinstance(sender, str) and SENDER.fullmatch(sender) is not None


def is_email_like(identity: str) -> bool:
    return "@" in identity


def hash_sender(identity: str, key: str) -> str:
    """The conversation key of an email identity: keyed, so it cannot be reversed by
    hashing a list of staff addresses without the key."""
    digest = hmac.new(key.encode(), identity.strip().lower().encode(), hashlib.sha256).hexdigest()
    return HASH_PREFIX + digest


def conversation_key(identity: str, hash_key: str) -> str:
    """What a verified identity (or an id given to `admin erase`) is stored under."""
    if not is_email_like(identity):
        return identity
    if not hash_key:
        raise AuthError(f"this server does not accept email identities: {HASH_KEY_ENV} is not set")
    return hash_sender(identity, hash_key)


def bearer(authorization: Optional[str]) -> Optional[str]:
    """The token of an `Authorization: Bearer <token>` header, or None."""
    scheme, _, token = (authorization or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


@dataclass(frozen=True)
class TokenVerifier:
    """Checks one algorithm with one key: the algorithm is never taken from the token."""

    key: Union[str, RSAPublicKey]
    algorithm: str
    audience: Optional[str] = None
    issuer: Optional[str] = None
    max_lifetime: int = settings.JWT_MAX_LIFETIME_SECONDS
    hash_key: str = ""

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None, audience: Optional[str] = None,
                 issuer: Optional[str] = None) -> Optional["TokenVerifier"]:
        """HS256 from CODECARE_JWT_SECRET or RS256 from CODECARE_JWT_PUBLIC_KEY (PEM); None
        when neither is set, which leaves the channels open to anonymous senders. A channel's
        own `audience`/`issuer` win over CODECARE_JWT_AUDIENCE/CODECARE_JWT_ISSUER."""
        secret = settings.jwt_secret(env)
        public_key = settings.jwt_public_key(env)
        if secret and public_key:
            raise ConfigError(f"set {SECRET_ENV} (HS256) or {PUBLIC_KEY_ENV} (RS256), not both")
        key: Union[str, RSAPublicKey]
        if secret:
            if len(secret.encode()) < MIN_SECRET_BYTES:
                raise ConfigError(f"{SECRET_ENV} must be at least {MIN_SECRET_BYTES} bytes long")
            key, algorithm = secret, "HS256"
        elif public_key:
            try:
                loaded = load_pem_public_key(public_key.encode())
            except ValueError as error:
                raise ConfigError(f"{PUBLIC_KEY_ENV} is not a PEM public key: {error}") from None
            if not isinstance(loaded, RSAPublicKey):
                raise ConfigError(f"{PUBLIC_KEY_ENV} must be an RSA public key for RS256")
            key, algorithm = loaded, "RS256"
        else:
            return None
        lifetime = settings.jwt_max_lifetime(env)
        if lifetime <= 0:
            raise ConfigError("CODECARE_JWT_MAX_LIFETIME must be a positive number of seconds")
        hash_key = settings.sender_hash_key(env)
        if not hash_key:
            logger.warning("sign-on is on without %s: tokens whose 'sub' is an email address "
                           "will be refused", HASH_KEY_ENV)
        return cls(key, algorithm, audience or settings.jwt_audience(env) or None,
                   issuer or settings.jwt_issuer(env) or None, lifetime, hash_key)

    def subject(self, token: str) -> str:
        """The verified `sub` of a token, or AuthError with a reason a client can show."""
        try:
            claims = jwt.decode(token, self.key, algorithms=[self.algorithm],
                                audience=self.audience, issuer=self.issuer,
                                leeway=LEEWAY_SECONDS,
                                options={"require": ["exp", "iat", "sub"]
                                         + (["aud"] if self.audience else [])
                                         + (["iss"] if self.issuer else [])})
        except jwt.ExpiredSignatureError:
            raise AuthError("the token has expired: sign in again") from None
        except jwt.InvalidSignatureError:
            raise AuthError("the token's signature is not valid") from None
        except jwt.MissingRequiredClaimError as error:
            raise AuthError(f"the token has no '{error.claim}' claim") from None
        except jwt.InvalidAudienceError:
            raise AuthError("the token is not meant for this assistant (audience)") from None
        except jwt.InvalidIssuerError:
            raise AuthError("the token was not issued by the configured sign-on (issuer)") from None
        except jwt.InvalidTokenError as error:
            raise AuthError(f"the token is not valid: {error}") from None
        if claims["exp"] - claims["iat"] > self.max_lifetime:
            raise AuthError(f"the token lives longer than {self.max_lifetime} seconds: "
                            "ask for a shorter-lived one")
        subject = claims["sub"]
        if not isinstance(subject, str) or not subject.strip():
            raise AuthError("the token's 'sub' claim is empty")
        if not valid_sender(subject):
            raise AuthError(f"the token's 'sub' must be {SENDER_RULE}")
        return subject


class Refused(Exception):
    """A request refused for who it claims to be: 400, 401 or 403 and why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def identify(verifier: Optional[TokenVerifier], token: Optional[str], claimed: Any) -> str:
    """The conversation key of a request, the one rule of every channel: with sign-on the
    token's identity (a `claimed` sender naming anyone else is 403), without it a valid
    claimed id; a claimed id that is not `SENDER` is 400 either way."""
    if (verifier is None or claimed is not None) and not valid_sender(claimed):
        raise Refused(400, f"'sender' must be {SENDER_RULE}")
    if verifier is None:
        return claimed
    if not token:
        raise Refused(401, "sign-in required: send a JWT as 'Authorization: Bearer <token>'")
    try:
        subject = verifier.subject(token)
        sender = conversation_key(subject, verifier.hash_key)
    except AuthError as error:
        raise Refused(401, str(error)) from None
    if claimed is not None and claimed not in (sender, subject):
        raise Refused(403, "'sender' does not match the signed-in user")
    return sender


def channel_verifier(credentials: Mapping[str, Any], channel: str) -> Optional[TokenVerifier]:
    """A channel's verifier from the environment and its credentials (`jwt_audience`,
    `jwt_issuer`); `require_token: true` (deploy/credentials.yml) refuses to start without
    a signing key, so production has no anonymous door."""
    verifier = TokenVerifier.from_env(None, credentials.get("jwt_audience"), credentials.get("jwt_issuer"))
    if credentials.get("require_token") and verifier is None:
        raise ConfigError(f"the {channel} channel requires sign-on: set {SECRET_ENV} or {PUBLIC_KEY_ENV}")
    return verifier
