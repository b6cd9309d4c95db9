"""Who is speaking: the sender id from a signed JWT when a signing key is configured.

Hospitals sign users on once (single sign-on) and hand the widget a short-lived JWT. The
channel checks it on every request and takes the sender id from its `sub`, so a user can
neither speak as nor continue another user's conversation.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Optional, Union

import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from codecare import settings

SECRET_ENV = "CODECARE_JWT_SECRET"
PUBLIC_KEY_ENV = "CODECARE_JWT_PUBLIC_KEY"
MIN_SECRET_BYTES = 32  # RFC 7518 3.2: an HS256 key at least as long as the hash
LEEWAY_SECONDS = 30  # clock skew between the sign-on server and this one


class AuthError(Exception):
    """A request whose token does not prove who sent it; the message says why."""


class ConfigError(ValueError):
    """The signing key in the environment cannot be used; raised at start-up."""


@dataclass(frozen=True)
class TokenVerifier:
    """Checks one algorithm with one key: the algorithm is never taken from the token."""

    key: Union[str, RSAPublicKey]
    algorithm: str
    audience: Optional[str] = None
    issuer: Optional[str] = None

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None, audience: Optional[str] = None,
                 issuer: Optional[str] = None) -> Optional["TokenVerifier"]:
        """HS256 from CODECARE_JWT_SECRET or RS256 from CODECARE_JWT_PUBLIC_KEY (PEM); None
        when neither is set, which leaves the channel open to anonymous senders."""
        secret = settings.jwt_secret(env)
        public_key = settings.jwt_public_key(env)
        if secret and public_key:
            raise ConfigError(f"set {SECRET_ENV} (HS256) or {PUBLIC_KEY_ENV} (RS256), not both")
        if secret:
            if len(secret.encode()) < MIN_SECRET_BYTES:
                raise ConfigError(f"{SECRET_ENV} must be at least {MIN_SECRET_BYTES} bytes long")
            return cls(secret, "HS256", audience, issuer)
        if public_key:
            try:
                key = load_pem_public_key(public_key.encode())
            except ValueError as error:
                raise ConfigError(f"{PUBLIC_KEY_ENV} is not a PEM public key: {error}") from None
            if not isinstance(key, RSAPublicKey):
                raise ConfigError(f"{PUBLIC_KEY_ENV} must be an RSA public key for RS256")
            return cls(key, "RS256", audience, issuer)
        return None

    def subject(self, token: str) -> str:
        """The verified `sub` of a token, or AuthError with a reason a client can show."""
        try:
            claims = jwt.decode(token, self.key, algorithms=[self.algorithm],
                                audience=self.audience, issuer=self.issuer,
                                leeway=LEEWAY_SECONDS, options={"require": ["exp", "sub"]})
        except jwt.ExpiredSignatureError:
            raise AuthError("the token has expired: sign in again") from None
        except jwt.InvalidSignatureError:
            raise AuthError("the token's signature is not valid") from None
        except jwt.MissingRequiredClaimError as error:
            raise AuthError(f"the token has no '{error.claim}' claim") from None
        except jwt.InvalidTokenError as error:
            raise AuthError(f"the token is not valid: {error}") from None
        subject = claims["sub"]
        if not isinstance(subject, str) or not subject.strip():
            raise AuthError("the token's 'sub' claim is empty")
        return subject
