"""Mail (.eml, .mbox): subject, sender, date, body and attachments of each message.

The standard library parses mail (``email`` with ``policy.default``, which decodes
encoded headers and bodies). A message gives a Section of its headers, its body as
plain text (or, when it has only HTML, through the HTML extractor), then the text of
each attachment through that attachment's own extractor (see
:mod:`xlsearch.extract.nested` for the bounds: depth, how many, how many bytes). A
forwarded message is an attachment too, read as .eml. Places: an .eml's attachment
is "attachment NAME"; in an .mbox, "message 3" and "message 3 › attachment NAME".
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from xlsearch.errors import ExtractError
from xlsearch.extract import nested
from xlsearch.extract.html import html_sections
from xlsearch.extract.plain import split_paragraphs
from xlsearch.types import Section

if TYPE_CHECKING:  # the email package is imported when a mail is read
    from email.message import EmailMessage, Message

MAX_MESSAGES = 50_000
"""The most messages read from one mailbox."""
_FROM_LINE = re.compile(rb"(?m)^From [^\n]*\n")
_HEADERS = (("Subject", "subject"), ("From", "from"), ("To", "to"), ("Date", "date"))


def extract_eml(data: bytes) -> list[Section]:
    """Sections of one message: headers, body, attachments."""
    with nested.top_level():
        return _message(_parse(data), None)


def extract_mbox(data: bytes) -> list[Section]:
    """Sections of every message in an mbox file, each under "message N"."""
    pieces = _FROM_LINE.split(data)
    if len(pieces) < 2 or pieces[0].strip():
        raise ExtractError("broken MBOX: it does not start with a 'From ' line")
    sections: list[Section] = []
    with nested.top_level():
        for number, raw in enumerate(pieces[1 : MAX_MESSAGES + 1], start=1):
            sections.extend(_message(_parse(raw), f"message {number}"))
    return sections


def _parse(data: bytes) -> EmailMessage:
    from email import message_from_bytes, policy
    from email.message import EmailMessage

    message = message_from_bytes(data, policy=policy.default)
    assert isinstance(message, EmailMessage)  # policy.default builds EmailMessage
    return message


def _message(message: EmailMessage, place: str | None) -> list[Section]:
    sections = [Section(text=t, where=place) for t in [_header_text(message)] if t]
    sections.extend(_placed(s, place) for s in _body(message))
    for index, part in enumerate(message.iter_attachments(), start=1):
        name = _attachment_name(part, index)
        if not nested.readable(name):
            continue
        label = f"attachment {name}" if place is None else f"{place} › attachment {name}"
        sections.extend(nested.member_sections(name, _payload(part), label))
    return sections


def _header_text(message: Message) -> str:
    lines = []
    for shown, key in _HEADERS:
        try:
            value = str(message.get(key, "") or "").strip()
        except Exception:  # a malformed header: the rest of the message still counts
            value = ""
        if value:
            lines.append(f"{shown}: {' '.join(value.split())}")
    return "\n".join(lines)


def _body(message: EmailMessage) -> list[Section]:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return []
    try:
        content = part.get_content()
    except Exception:  # an unknown charset or broken transfer encoding
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    if not isinstance(content, str):
        return []
    if part.get_content_subtype() == "html":
        return html_sections(content)
    return split_paragraphs(content)


def _placed(section: Section, place: str | None) -> Section:
    return section if place is None else nested.placed(section, place)


def _attachment_name(part: Message, index: int) -> str:
    import mimetypes

    name = part.get_filename()
    if name:
        return " ".join(str(name).replace("/", "_").split())
    if part.get_content_type() == "message/rfc822":
        return f"message-{index}.eml"
    return f"attachment-{index}{mimetypes.guess_extension(part.get_content_type()) or ''}"


def _payload(part: Message) -> bytes:
    """The decoded bytes of an attachment (a forwarded message: its raw form)."""
    from email.message import Message

    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        inner = inner[0] if isinstance(inner, list) and inner else inner
        return inner.as_bytes() if isinstance(inner, Message) else b""
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""
