"""HQ's settings, read from HQ_* environment variables by pydantic-settings; dev-only defaults."""

from __future__ import annotations

import difflib
import functools
import os
import secrets
from collections.abc import Mapping
from contextvars import ContextVar
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, PositiveInt, ValidationError, field_validator, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

PREFIX = "HQ_"
# Dev-only defaults: the tutorial's published badge. Production refuses to start on it.
DEV_BADGES = ("hq-badge-007",)
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
# An HMAC-SHA256 key shorter than its output is weaker than the signature it makes.
MIN_SECRET_BYTES = 32

# The environment from_env() is reading; constructing Settings(...) directly reads none.
_ENVIRON: ContextVar[Mapping[str, str] | None] = ContextVar("hq_environ", default=None)


def _draw_dev_secret() -> bytes:
    """A random session secret for one process (or app) that was given none."""
    return secrets.token_bytes(MIN_SECRET_BYTES)


class SettingsError(RuntimeError):
    """The environment does not describe a safe HQ (raised at startup, before serving anything)."""


class _EnvironSource(EnvSettingsSource):
    """pydantic-settings' environment source, reading the mapping handed to from_env()."""

    def __init__(self, settings_cls: type[BaseSettings], environ: Mapping[str, str]) -> None:
        self._environ = environ
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        # from_env has kept only the HQ_* variables that are set, their names in lower case.
        return dict(self._environ)


class Settings(BaseSettings):
    """Everything HQ can be configured with; see the README's Settings and Limits tables."""

    model_config = SettingsConfigDict(env_prefix=PREFIX, frozen=True, extra="forbid")

    env: Literal["development", "production"] = "development"
    badges: Annotated[tuple[str, ...], NoDecode] = DEV_BADGES
    # Unset: a random secret per process, so dev cookies simply stop working on restart.
    session_secret: bytes = Field(default_factory=_draw_dev_secret, repr=False)
    cookie_secure: bool = False
    session_idle_seconds: PositiveInt = 24 * 3600
    session_max: PositiveInt = 10_000
    roster_max: PositiveInt = 10_000
    mission_log_max: PositiveInt = 10_000
    comms_max_clients: PositiveInt = 2_000
    # Per client (address), per desk: see the README's Limits table.
    logins_per_minute: PositiveInt = 30
    dispatches_per_minute: PositiveInt = 60
    chats_per_second: PositiveInt = 20
    # None keeps every piece of state in this process; a redis:// URL shares it with other desks.
    redis_url: str | None = Field(default=None, repr=False)  # may carry a password
    redis_namespace: str = "hero-hq"
    body_max_bytes: ClassVar[int] = 64 * 1024

    @property
    def production(self) -> bool:
        return self.env == "production"

    @field_validator("env", mode="before")
    @classmethod
    def _env_in_any_case(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("badges", mode="before")
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.split(",")
        if isinstance(value, tuple | list):
            # Surrounding whitespace is never part of a badge, here or in the header (guard.py).
            value = tuple(badge.strip() for badge in value if badge.strip())
            if not value:
                raise ValueError("must name at least one badge")
        return value

    @field_validator("redis_url", mode="before")
    @classmethod
    def _redis_scheme(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip() or None
            if value is not None and not value.startswith(REDIS_SCHEMES):
                scheme = value.partition("://")[0] if "://" in value else value[:20]
                raise ValueError(f"must start with redis://, rediss:// or unix://, not {scheme!r}")
        return value

    @model_validator(mode="after")
    def _safe_for_production(self) -> Settings:
        if not self.production:
            return self
        missing = [n for n in ("session_secret", "badges") if n not in self.model_fields_set]
        if missing:
            names = " and ".join(PREFIX + name.upper() for name in missing)
            raise ValueError(f"HQ_ENV=production needs {names}: refusing to start on dev defaults")
        if set(self.badges) & set(DEV_BADGES):
            raise ValueError("HQ_BADGES holds the tutorial's published badge: not in production")
        if len(self.session_secret) < MIN_SECRET_BYTES:
            raise ValueError(f"HQ_SESSION_SECRET must be at least {MIN_SECRET_BYTES} bytes")
        object.__setattr__(self, "cookie_secure", True)  # production cookies are always Secure
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        environ = _ENVIRON.get()
        if environ is None:
            return (init_settings,)
        return (init_settings, _EnvironSource(settings_cls, environ))

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read HQ_* variables; a value HQ does not understand stops it with a one-line reason."""
        environ = os.environ if env is None else env
        # Only HQ_* names are read, case-insensitively; a blank value means "not set".
        ours = frozenset(
            (name.lower(), environ[name])
            for name in environ  # names first: decoding every value of os.environ costs more
            if name[:3].upper() == PREFIX and environ[name].strip()
        )
        read = _read_validated(cls, ours)
        # The same environment read again is not validated again (pydantic-settings costs more
        # than building an app), but what the environment left to a default factory (the dev
        # secret) is drawn afresh, as a first reading would draw it.
        drawn = {
            name: field.get_default(call_default_factory=True, validated_data=read.__dict__)
            for name, field in _drawn_by_a_factory(cls)
            if name not in read.model_fields_set
        }
        if not drawn:
            return read
        fresh = read.model_copy(update=drawn)  # a copy: model_construct is ten times dearer
        fresh.__pydantic_fields_set__.difference_update(drawn)  # drawn, not set by anyone
        return fresh


@functools.cache
def _drawn_by_a_factory(cls: type[Settings]) -> tuple[tuple[str, FieldInfo], ...]:
    """The fields whose default a factory draws (pydantic's own get_default calls it, with the
    other values for a factory that takes them)."""
    return tuple(
        (name, field)
        for name, field in cls.model_fields.items()
        if field.default_factory is not None
    )


@functools.lru_cache(maxsize=64)
def _read_validated(cls: type[Settings], environ: frozenset[tuple[str, str]]) -> Settings:
    """Settings validated from these HQ_* variables (each distinct environment once)."""
    names = {name.removeprefix(PREFIX.lower()) for name, _ in environ}
    unknown = sorted(PREFIX + name.upper() for name in names if name not in cls.model_fields)
    if unknown:
        raise SettingsError("; ".join(_not_a_setting(name, cls) for name in unknown))
    token = _ENVIRON.set(dict(environ))
    try:
        return cls()
    except ValidationError as error:
        raise SettingsError(_one_line(error)) from None
    finally:
        _ENVIRON.reset(token)


def _not_a_setting(name: str, cls: type[Settings]) -> str:
    """A misspelt setting is refused rather than ignored, naming the setting it most resembles."""
    known = [PREFIX + field.upper() for field in cls.model_fields]
    nearest = difflib.get_close_matches(name, known, n=1)
    hint = f" (did you mean {nearest[0]}?)" if nearest else ""
    return f"{name} is not one of HQ's settings{hint}"


# Values that may be (or carry) a secret are never repeated back.
_NEVER_SHOWN = {"HQ_SESSION_SECRET", "HQ_REDIS_URL"}
_PLAIN = {
    "bool_parsing": "must be on or off (1/0, true/false, yes/no, on/off)",
    "int_parsing": "must be a whole number",
    "greater_than": "must be positive",
    "literal_error": "must be development or production",
}


def _one_line(error: ValidationError) -> str:
    """Every problem in the environment, each naming its variable and the value it got."""
    problems = []
    for item in error.errors(include_url=False):
        if not item["loc"]:  # a check across settings: its message names the variables
            problems.append(str(item["msg"]).removeprefix("Value error, "))
            continue
        name = PREFIX + str(item["loc"][0]).upper()
        plain = _PLAIN.get(item["type"], str(item["msg"]).removeprefix("Value error, "))
        shown = "" if name in _NEVER_SHOWN else f", got {item['input']!r}"
        problems.append(f"{name} {plain}{shown}")
    return "; ".join(problems)
