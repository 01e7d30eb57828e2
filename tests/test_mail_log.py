"""Development e-mail (consolemail://) is logged readably, at INFO."""

import logging

from django.core.mail import EmailMultiAlternatives, get_connection

BACKEND = "officehours.mail_log.LoggingEmailBackend"


def test_a_message_is_its_subject_addresses_text_and_the_names_of_its_parts(caplog):
    message = EmailMultiAlternatives(
        subject="Din bokning: torsdag 5 februari 10:00",
        body="Hej Anna!\n\nDu är bokad.",
        from_email="Frågestund <fragestund@example.se>",
        to=["anna@example.se"],
        cc=["rut@example.se"],
    )
    message.attach_alternative("<p>Hej Anna!</p>", "text/html")
    message.attach("invite.ics", b"BEGIN:VCALENDAR\r\n" * 50, "text/calendar; method=REQUEST")
    with caplog.at_level(logging.INFO, logger="officehours.mail"):
        sent = get_connection(BACKEND).send_messages([message])
    assert sent == 1
    [record] = caplog.records
    assert record.levelno == logging.INFO
    text = record.getMessage()
    assert text.splitlines()[:4] == [
        "E-mail: Din bokning: torsdag 5 februari 10:00",
        "From: Frågestund <fragestund@example.se>",
        "To: anna@example.se",
        "Cc: rut@example.se",
    ]
    assert "Hej Anna!\n\nDu är bokad." in text
    assert "[alternative text/html, 16 characters]" in text
    assert "[attachment invite.ics, text/calendar; method=REQUEST, 850 bytes]" in text
    assert "QkVHSU46VkNBTEVOREFS" not in text  # no base64
