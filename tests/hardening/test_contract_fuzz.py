"""Contract fuzzing: schemathesis drives every operation of HQ's own OpenAPI document in-process."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings

from hero_hq.main import build_app
from hero_hq.settings import Settings

BADGE = {"X-HQ-Badge": "hq-badge-007"}
ENVELOPE_KEYS = {"code", "message", "detail"}

app = build_app(Settings(badges=("hq-badge-007",)))
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


def assert_envelope(response: Any) -> None:
    """Every refusal, whatever provoked it, comes in HQ's one error envelope."""
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"}, body
        assert set(body["error"]) == ENVELOPE_KEYS, body
        assert isinstance(body["error"]["detail"], dict), body


def map_body(context: Any, body: Any) -> Any:
    """JSON Schema counts 9001.0 as an integer; HQ deliberately does not (its document says so)."""
    if isinstance(body, dict):
        for key in ("wattage", "hero_id"):
            value = body.get(key)
            if isinstance(value, float) and value.is_integer():
                body = {**body, key: int(value)}
    return body


@schema.hooks.apply(map_body)
@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_its_contract(case: Any) -> None:
    response = case.call_and_validate(headers=BADGE)
    assert response.status_code < 500
    assert_envelope(response)


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_villains_get_the_envelope_too(case: Any) -> None:
    response = case.call(headers={"X-HQ-Badge": "villain"})
    assert response.status_code < 500
    assert_envelope(response)
