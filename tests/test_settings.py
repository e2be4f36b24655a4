"""HQ's settings from HQ_* variables: dev defaults, production refusals, clear errors."""

from __future__ import annotations

import pytest

from hero_hq.settings import DEV_BADGES, Settings, SettingsError


def test_development_defaults() -> None:
    settings = Settings.from_env({})
    assert settings.env == "development"
    assert settings.badges == DEV_BADGES
    assert settings.cookie_secure is False
    assert len(settings.session_secret) == 32
    assert Settings.from_env({}).session_secret != settings.session_secret  # random per process


def test_variables_are_read() -> None:
    settings = Settings.from_env(
        {
            "HQ_BADGES": " one , two,,",
            "HQ_SESSION_SECRET": "s3cret",
            "HQ_COOKIE_SECURE": "yes",
            "HQ_SESSION_IDLE_SECONDS": "30",
            "HQ_SESSION_MAX": "5",
            "HQ_ROSTER_MAX": "7",
            "HQ_MISSION_LOG_MAX": "8",
            "HQ_COMMS_MAX_CLIENTS": "9",
        }
    )
    assert settings.badges == ("one", "two")
    assert settings.session_secret == b"s3cret"
    assert settings.cookie_secure is True
    assert (settings.session_idle_seconds, settings.session_max) == (30, 5)
    assert (settings.roster_max, settings.mission_log_max, settings.comms_max_clients) == (7, 8, 9)


@pytest.mark.parametrize(
    ("env", "missing"),
    [({}, "HQ_SESSION_SECRET and HQ_BADGES"), ({"HQ_BADGES": "b"}, "HQ_SESSION_SECRET"),
     ({"HQ_SESSION_SECRET": "s"}, "HQ_BADGES")],
)  # fmt: skip
def test_production_refuses_to_start_on_dev_defaults(env: dict[str, str], missing: str) -> None:
    with pytest.raises(
        SettingsError, match=f"HQ_ENV=production needs {missing}: refusing to start"
    ):
        Settings.from_env({"HQ_ENV": "production", **env})


def test_production_always_marks_the_cookie_secure() -> None:
    settings = Settings.from_env(
        {
            "HQ_ENV": "Production",
            "HQ_BADGES": "b",
            "HQ_SESSION_SECRET": "s",
            "HQ_COOKIE_SECURE": "0",
        }
    )
    assert settings.production
    assert settings.cookie_secure is True


@pytest.mark.parametrize(
    ("value", "problem"), [("lots", "must be a whole number"), ("0", "must be positive")]
)
def test_bad_numbers_are_clear_errors(value: str, problem: str) -> None:
    with pytest.raises(SettingsError, match=f"HQ_ROSTER_MAX {problem}"):
        Settings.from_env({"HQ_ROSTER_MAX": value})


def test_without_a_redis_url_hq_keeps_its_state_in_memory() -> None:
    settings = Settings.from_env({"HQ_REDIS_URL": "  "})
    assert (settings.redis_url, settings.redis_namespace) == (None, "hero-hq")


def test_a_redis_url_and_namespace_are_read_and_the_url_never_shown() -> None:
    settings = Settings.from_env(
        {"HQ_REDIS_URL": "redis://:pw@10.0.0.5:6379/2", "HQ_REDIS_NAMESPACE": "agency-7"}
    )
    assert (settings.redis_url, settings.redis_namespace) == (
        "redis://:pw@10.0.0.5:6379/2",
        "agency-7",
    )
    assert "pw" not in repr(settings)


def test_a_redis_url_of_another_kind_is_refused_in_one_line() -> None:
    with pytest.raises(
        SettingsError,
        match=r"^HQ_REDIS_URL must start with redis://, rediss:// or unix://, not 'http'$",
    ):
        Settings.from_env({"HQ_REDIS_URL": "http://10.0.0.5:6379"})
