"""The QR code of the live page's short link, for the agenda to show on screen."""

from __future__ import annotations

import base64
import io

import qrcode
from qrcode.image.svg import SvgPathImage


def qr_data_uri(text: str) -> str:
    """An SVG QR code as a data: URI (the Content-Security-Policy allows data: images;
    an inline <svg> would need no more, but an <img> keeps its alt text)."""
    image = qrcode.make(text, image_factory=SvgPathImage, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
