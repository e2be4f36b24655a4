"""The paperwork HQ accepts and hands back, as strict pydantic models."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from hero_hq.text import VISIBLE_TEXT_PATTERN, visible_text

# JSON consumers (browsers above all) lose precision past 2**53 - 1: HQ never hands one out.
MAX_WATTAGE = 2**53 - 1
MAX_TEXT = 100


# Something a reader can see, and nothing hidden (hero_hq.text); the document publishes the rule.
Label = Annotated[
    str,
    Field(min_length=1, max_length=MAX_TEXT, json_schema_extra={"pattern": VISIBLE_TEXT_PATTERN}),
    AfterValidator(visible_text),
]


class CreateHero(BaseModel):
    """The paperwork a hero files to join HQ."""

    # Strict: "9001", 9001.0 and true are not wattages (the original coerced them).
    model_config = ConfigDict(strict=True, extra="ignore")

    name: Label
    power: Label
    wattage: Annotated[
        int,
        Field(ge=0, le=MAX_WATTAGE, description="A JSON integer, written without a decimal point."),
    ]


class Hero(BaseModel):
    """What HQ hands back once a hero is on the roster."""

    id: Annotated[int, Field(ge=1)]
    name: str
    power: str
    wattage: int


class LoginBody(BaseModel):
    """Which hero is logging in."""

    model_config = ConfigDict(strict=True, extra="ignore")

    hero_id: Annotated[int, Field(description="A JSON integer, written without a decimal point.")]


class DispatchOrder(BaseModel):
    """Which hero mission control sends out."""

    model_config = ConfigDict(strict=True)

    hero: Label


class ChatMessage(BaseModel):
    """A chat line sent on the comms channel."""

    model_config = ConfigDict(strict=True, extra="ignore")

    text: Annotated[str, Field(min_length=1, max_length=4096)]
