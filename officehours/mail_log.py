"""Development e-mail (EMAIL_URL=consolemail://): each message logged readably at INFO.

Django's console backend prints the whole MIME message, attachments in base64; in
the Celery worker, whose stdout is logged as WARNING, that became a wall of
warnings. Here a message is its subject, addresses, text body, and the names of
its other parts.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from email.mime.base import MIMEBase

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger("officehours.mail")


class LoggingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            logger.info("%s", described(message))
        return len(email_messages)


def described(message: EmailMessage) -> str:
    lines = [f"E-mail: {message.subject}", f"From: {message.from_email}"]
    for label, addresses in (
        ("To", message.to),
        ("Cc", message.cc),
        ("Bcc", message.bcc),
        ("Reply-To", message.reply_to),
    ):
        if addresses:
            lines.append(f"{label}: {', '.join(addresses)}")
    lines += ["", message.body.rstrip(), ""]
    for content, mimetype in getattr(message, "alternatives", []):
        lines.append(f"[alternative {mimetype}, {len(content)} characters]")
    for attachment in message.attachments:
        lines.append(f"[attachment {_attachment(attachment)}]")
    return "\n".join(lines).rstrip()


def _attachment(attachment: MIMEBase | tuple) -> str:
    if isinstance(attachment, MIMEBase):
        name = attachment.get_filename() or "(no name)"
        return f"{name}, {attachment.get_content_type()}"
    filename, content, mimetype = attachment
    return f"{filename or '(no name)'}, {mimetype}, {len(content)} bytes"
