"""The platform-neutral reply: built once by the command core, rendered per platform.

Text here is plain; every renderer escapes it for its own platform (Slack: & < >).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    source_title: str | None = None
    source_url: str | None = None
    detail: str | None = None  # a quote or the evidence sentence


@dataclass(slots=True)
class Section:
    title: str
    lines: list[Line] = field(default_factory=list)
    empty: str = "Nothing yet."


@dataclass(frozen=True, slots=True)
class Image:
    """A picture that goes with a reply (the tracker's timeline), as every platform needs it: Slack
    links `path` under the public URL, Discord uploads the PNG drawn for `tracker` over the window
    [start, end] with `today` marked, the terminal writes a file. `digest` names what it shows."""

    alt: str
    tracker: str
    digest: str
    start: str
    end: str
    today: str
    path: str  # under NTRACK_PUBLIC_URL: "/t/kuril/timeline.png?months=12&v=<digest>"
    filename: str = "timeline.png"


@dataclass(slots=True)
class Reply:
    title: str
    sections: list[Section] = field(default_factory=list)
    note: str | None = None  # one line under the title: a reason, a hint
    error: str | None = None  # set when the command was not understood or not allowed
    in_channel: bool = False
    image: Image | None = None

    def text_lines(self) -> list[str]:
        """Every piece of text in the reply, for tests and search."""
        out = [self.title] + ([self.note] if self.note else []) + ([self.error] if self.error else [])
        for s in self.sections:
            out.append(s.title)
            out.extend(line.text for line in s.lines)
        return out

    def to_json(self) -> dict[str, Any]:
        """The reply as plain data (an outbox row keeps a rendered weekly summary so)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Reply:
        sections = [Section(title=str(s["title"]), lines=[Line(**line) for line in s.get("lines", [])],
                            empty=str(s.get("empty", "Nothing yet."))) for s in data.get("sections", [])]
        image = data.get("image")  # rows queued before pictures have none
        return cls(title=str(data["title"]), sections=sections, note=data.get("note"), error=data.get("error"),
                   in_channel=bool(data.get("in_channel", False)),
                   image=_image(image))


def _image(data: Any) -> Image | None:
    """An Image from its JSON; None when there is none or it lacks a field (a row of another version)."""
    if not isinstance(data, dict):
        return None
    names = {f.name for f in fields(Image)}
    try:
        return Image(**{k: str(v) for k, v in data.items() if k in names})
    except TypeError:
        return None
