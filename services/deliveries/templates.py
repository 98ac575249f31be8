"""Templates: a feature registers a render function under an id; the sender calls it for each
recipient inside their language (gettext's locale is set), so `_()` in it comes out right."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Button:
    """An inline button: callback data or a URL."""

    text: str
    callback_data: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Pin:
    """A location sent after the text as a map pin (sendLocation), WGS-84 as Telegram shares it."""

    latitude: float
    longitude: float


@dataclass(frozen=True)
class Rendered:
    """HTML text (values escaped by the renderer) and rows of buttons for the last part; a pin,
    when given, follows the text."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = field(default_factory=tuple)
    pin: Pin | None = None


@dataclass(frozen=True)
class Recipient:
    person_id: int
    locale: str


Render = Callable[[Mapping[str, Any], Recipient], Rendered]

_templates: dict[str, Render] = {}


class UnknownTemplate(LookupError):
    """No render function under this id: the row fails with this reason."""


def register(template_id: str, render: Render) -> None:
    if _templates.get(template_id, render) is not render:
        raise ValueError(f"template {template_id!r} is registered already")
    _templates[template_id] = render


def unregister(template_id: str) -> None:
    _templates.pop(template_id, None)


def render(template_id: str, params: Mapping[str, Any], recipient: Recipient) -> Rendered:
    try:
        function = _templates[template_id]
    except KeyError:
        raise UnknownTemplate(f"no template {template_id!r}") from None
    return function(params, recipient)
