"""An FAQ entry's page: the feedback box's tally and the reader's own vote, its tags."""

import re

import pytest
from django.urls import reverse

from tests.faq_factories import make_entry, topic


@pytest.fixture
def entry(db):
    return make_entry(
        "Får jag dela chefens inlägg på LinkedIn?",
        "Ja, från ditt privata konto.",
        topic=topic(),
        tags=["linkedin", "policy"],
    )


def page(client, entry) -> str:
    return client.get(reverse("faq:detail", args=[entry.slug])).content.decode()


def vote_buttons(html: str) -> dict[str, str]:
    """Each vote button's value and its aria-pressed ("" when it has none)."""
    buttons = re.findall(r'<button type="submit" name="helpful" value="(\w+)"[^>]*>', html)
    pressed = re.findall(
        r'<button type="submit" name="helpful" value="\w+"[^>]*?(?:aria-pressed="(\w+)")?>',
        html,
    )
    return dict(zip(buttons, pressed, strict=True))


def vote(client, entry, helpful: str):
    client.post(reverse("faq:feedback", args=[entry.slug]), {"helpful": helpful})


def test_it_shows_no_tally_before_anyone_voted(employee_client, entry):
    html = page(employee_client, entry)
    assert "Var det här till hjälp?" in html
    assert "tyckte att det här hjälpte" not in html
    assert vote_buttons(html) == {"yes": "", "no": ""}


def test_it_marks_the_readers_own_vote(client, employee, other_employee, entry):
    client.force_login(employee)
    vote(client, entry, "no")
    html = page(client, entry)
    assert vote_buttons(html) == {"yes": "false", "no": "true"}
    assert "tyckte att det här hjälpte" not in html  # a "no" is not a "helped"

    vote(client, entry, "yes")
    html = page(client, entry)
    assert vote_buttons(html) == {"yes": "true", "no": "false"}
    assert "1 person tyckte att det här hjälpte." in html

    client.force_login(other_employee)  # who has not voted sees the tally, no vote marked
    html = page(client, entry)
    assert vote_buttons(html) == {"yes": "", "no": ""}
    assert "1 person found this helpful." in html  # Bo reads English


def test_it_sets_the_tags_apart_from_the_date(employee_client, entry):
    html = page(employee_client, entry)
    tags = re.search(r'<span class="tags">(.*)</span> ·\s+Senast uppdaterad', html, re.S)
    assert tags is not None
    assert re.findall(r'<span class="tag">(\w+)</span>', tags.group(1)) == ["linkedin", "policy"]
