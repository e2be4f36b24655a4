"""HQ's settings, read from HQ_* environment variables, with defaults for development only."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

# Dev-only defaults: the tutorial's published badge. Production refuses to start on defaults.
DEV_BADGES = ("hq-badge-007",)
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


class SettingsError(RuntimeError):
    """The environment does not describe a safe HQ (raised at startup, before serving anything)."""


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
    if value <= 0:
        raise SettingsError(f"{name} must be positive, got {value}")
    return value


def _redis_url(raw: str | None) -> str | None:
    url = (raw or "").strip()
    if not url:
        return None
    if not url.startswith(REDIS_SCHEMES):
        scheme = url.partition("://")[0] if "://" in url else url[:20]
        raise SettingsError(
            f"HQ_REDIS_URL must start with redis://, rediss:// or unix://, not {scheme!r}"
        )
    return url


@dataclass(frozen=True)
class Settings:
    """Everything HQ can be configured with; see the README's Settings and Limits tables."""

    env: str = "development"
    badges: tuple[str, ...] = DEV_BADGES
    session_secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    cookie_secure: bool = False
    session_idle_seconds: int = 24 * 3600
    session_max: int = 10_000
    roster_max: int = 10_000
    mission_log_max: int = 10_000
    comms_max_clients: int = 2_000
    body_max_bytes: int = 64 * 1024
    # None keeps every piece of state in this process; a redis:// URL shares it with other desks.
    redis_url: str | None = field(default=None, repr=False)  # may carry a password
    redis_namespace: str = "hero-hq"

    @property
    def production(self) -> bool:
        return self.env == "production"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read HQ_* variables; in production, refuse to run on missing secrets."""
        env = os.environ if env is None else env
        hq_env = env.get("HQ_ENV", "development").strip().lower() or "development"
        production = hq_env == "production"
        badges = tuple(b.strip() for b in env.get("HQ_BADGES", "").split(",") if b.strip())
        secret = env.get("HQ_SESSION_SECRET", "")
        if production:
            missing = [
                n for n, v in (("HQ_SESSION_SECRET", secret), ("HQ_BADGES", badges)) if not v
            ]
            if missing:
                raise SettingsError(
                    f"HQ_ENV=production needs {' and '.join(missing)}: "
                    "refusing to start on development defaults"
                )
        return cls(
            env=hq_env,
            badges=badges or DEV_BADGES,
            # Unset: a random secret per process, so dev cookies simply stop working on restart.
            session_secret=secret.encode() if secret else secrets.token_bytes(32),
            cookie_secure=production or _flag(env.get("HQ_COOKIE_SECURE")),
            session_idle_seconds=_positive_int(env, "HQ_SESSION_IDLE_SECONDS", 24 * 3600),
            session_max=_positive_int(env, "HQ_SESSION_MAX", 10_000),
            roster_max=_positive_int(env, "HQ_ROSTER_MAX", 10_000),
            mission_log_max=_positive_int(env, "HQ_MISSION_LOG_MAX", 10_000),
            comms_max_clients=_positive_int(env, "HQ_COMMS_MAX_CLIENTS", 2_000),
            redis_url=_redis_url(env.get("HQ_REDIS_URL")),
            redis_namespace=env.get("HQ_REDIS_NAMESPACE", "").strip() or "hero-hq",
        )
