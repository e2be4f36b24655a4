"""HQ's settings from HQ_* variables: dev defaults, production refusals, one-line reasons."""

from __future__ import annotations

import pytest

from hero_hq.settings import DEV_BADGES, Settings, SettingsError

PRODUCTION = {"HQ_ENV": "production", "HQ_BADGES": "b", "HQ_SESSION_SECRET": "s" * 32}


@pytest.mark.parametrize(
    ("env", "reason"),
    [({"HQ_ENV": "prod"}, "HQ_ENV must be development or production, got 'prod'"),
     ({"HQ_ENV": "staging"}, "HQ_ENV must be development or production, got 'staging'"),
     ({"HQ_COOKIE_SECURE": "ture"},
      "HQ_COOKIE_SECURE must be on or off (1/0, true/false, yes/no, on/off), got 'ture'"),
     ({"HQ_ROSTER_MAX": "lots"}, "HQ_ROSTER_MAX must be a whole number, got 'lots'"),
     ({"HQ_SESSION_MAX": "0"}, "HQ_SESSION_MAX must be positive, got '0'"),
     ({"HQ_COMMS_MAX_CLIENTS": "2.5"}, "HQ_COMMS_MAX_CLIENTS must be a whole number, got '2.5'"),
     ({"HQ_BADGES": " , "}, "HQ_BADGES must name at least one badge, got ' , '")],
)  # fmt: skip
def test_a_value_hq_does_not_understand_is_refused_in_one_line(
    env: dict[str, str], reason: str
) -> None:
    with pytest.raises(SettingsError) as refused:
        Settings.from_env(env)
    assert str(refused.value) == reason


def test_every_problem_is_named_at_once() -> None:
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({"HQ_ROSTER_MAX": "-1", "HQ_COOKIE_SECURE": "maybe"})
    assert "HQ_ROSTER_MAX must be positive, got '-1'" in str(refused.value)
    assert "HQ_COOKIE_SECURE must be on or off" in str(refused.value)
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize(
    ("env", "reason"),
    [({}, "HQ_ENV=production needs HQ_SESSION_SECRET and HQ_BADGES: refusing to start on dev defaults"),
     ({"HQ_BADGES": "b"}, "HQ_ENV=production needs HQ_SESSION_SECRET: refusing to start"),
     ({"HQ_SESSION_SECRET": "s" * 32}, "HQ_ENV=production needs HQ_BADGES: refusing to start"),
     ({**PRODUCTION, "HQ_BADGES": "mine, hq-badge-007"},
      "HQ_BADGES holds the tutorial's published badge: not in production"),
     ({**PRODUCTION, "HQ_SESSION_SECRET": "s" * 31},
      "HQ_SESSION_SECRET must be at least 32 bytes")],
)  # fmt: skip
def test_production_refuses_dev_defaults_and_weak_secrets(env: dict[str, str], reason: str) -> None:
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({"HQ_ENV": "production", **env})
    assert str(refused.value).startswith(reason)


def test_a_refused_secret_is_never_echoed() -> None:
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({**PRODUCTION, "HQ_SESSION_SECRET": "my-short-secret"})
    assert "my-short-secret" not in str(refused.value)


def test_development_defaults() -> None:
    settings = Settings.from_env({})
    assert settings.env == "development"
    assert settings.badges == DEV_BADGES
    assert settings.cookie_secure is False
    assert len(settings.session_secret) == 32
    assert Settings.from_env({}).session_secret != settings.session_secret  # random per process
    assert "session_secret" not in repr(settings)


def test_variables_are_read_and_blank_means_unset() -> None:
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
            "HQ_ENV": " ",
        }
    )
    assert settings.env == "development"
    assert settings.badges == ("one", "two")
    assert settings.session_secret == b"s3cret"
    assert settings.cookie_secure is True
    assert (settings.session_idle_seconds, settings.session_max) == (30, 5)
    assert (settings.roster_max, settings.mission_log_max, settings.comms_max_clients) == (7, 8, 9)


@pytest.mark.parametrize("value", ["0", "off", "False", "no"])
def test_cookie_secure_off_spelled_any_usual_way(value: str) -> None:
    assert Settings.from_env({"HQ_COOKIE_SECURE": value}).cookie_secure is False


def test_production_always_marks_the_cookie_secure() -> None:
    settings = Settings.from_env({**PRODUCTION, "HQ_ENV": "Production", "HQ_COOKIE_SECURE": "0"})
    assert settings.production
    assert settings.cookie_secure is True


def test_constructing_settings_directly_reads_no_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HQ_ROSTER_MAX", "3")
    assert Settings().roster_max == 10_000
    assert Settings.from_env().roster_max == 3


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


def test_an_environment_read_again_gives_the_same_settings_and_a_fresh_dev_secret() -> None:
    first = Settings.from_env({"HQ_ROSTER_MAX": "7"})
    again = Settings.from_env({"HQ_ROSTER_MAX": "7"})
    assert again.roster_max == first.roster_max == 7
    assert again.session_secret != first.session_secret
    assert "session_secret" not in again.model_fields_set
    assert Settings.from_env({"HQ_ROSTER_MAX": "8"}).roster_max == 8  # a changed value is read
    assert Settings.from_env({"hq_roster_max": "9"}).roster_max == 9  # names in any case


def test_a_refused_environment_is_refused_every_time() -> None:
    for _ in range(2):
        with pytest.raises(SettingsError, match="HQ_ROSTER_MAX must be a whole number"):
            Settings.from_env({"HQ_ROSTER_MAX": "many"})


def test_a_misspelt_setting_is_refused_with_the_one_it_resembles() -> None:
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({"HQ_ROSTER_MAXX": "5", "hq_badge": "one", "HQ_WHATEVER": "x"})
    assert str(refused.value) == (
        "HQ_BADGE is not one of HQ's settings (did you mean HQ_BADGES?); "
        "HQ_ROSTER_MAXX is not one of HQ's settings (did you mean HQ_ROSTER_MAX?); "
        "HQ_WHATEVER is not one of HQ's settings"
    )


def test_an_unknown_setting_left_blank_is_not_set_at_all() -> None:
    assert Settings.from_env({"HQ_ROSTER_MAXX": " "}).roster_max == 10_000
