"""HQ's domain errors, each with a stable code, and the one envelope every error is sent in."""

from __future__ import annotations

from typing import Any


class HQError(Exception):
    """An error HQ answers on purpose: status, stable code, plain message, structured detail."""

    status_code = 400
    code = "bad_request"

    def __init__(
        self,
        message: str,
        detail: dict[str, Any] | None = None,
        *,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail or {}
        self.headers = headers

    def envelope(self) -> dict[str, Any]:
        return envelope(self.code, self.message, self.detail)


def envelope(code: str, message: str, detail: dict[str, Any] | None = None) -> dict[str, Any]:
    """The single shape of every error body: {"error": {"code", "message", "detail"}}."""
    return {"error": {"code": code, "message": message, "detail": detail or {}}}


class VillainDetected(HQError):
    status_code, code = 403, "villain_detected"

    def __init__(self) -> None:
        super().__init__(
            "halt! that is not a valid HQ badge", {"hint": "send a valid X-HQ-Badge header"}
        )


class HeroNotFound(HQError):
    status_code, code = 404, "hero_not_found"

    def __init__(self, hero_id: int) -> None:
        super().__init__("no such hero", {"id": hero_id})


class RouteNotFound(HQError):
    status_code, code = 404, "route_not_found"


class MethodNotAllowed(HQError):
    status_code, code = 405, "method_not_allowed"


class Unauthorized(HQError):
    status_code, code = 401, "unauthorized"


class RosterFull(HQError):
    status_code, code = 409, "roster_full"


class PayloadTooLarge(HQError):
    status_code, code = 413, "payload_too_large"


class UnsupportedMediaType(HQError):
    status_code, code = 415, "unsupported_media_type"


class InvalidJSON(HQError):
    status_code, code = 422, "invalid_json"


class ValidationFailed(HQError):
    status_code, code = 422, "validation_error"

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("the paperwork is not in order", {"errors": errors})


class StoreUnavailable(HQError):
    status_code, code = 503, "store_unavailable"

    def __init__(self) -> None:
        super().__init__(
            "HQ cannot reach its store just now; nothing was changed, try again shortly",
            {"retry_after_seconds": 1},
            headers={"Retry-After": "1"},
        )


class TooManyRequests(HQError):
    status_code, code = 429, "too_many_requests"
