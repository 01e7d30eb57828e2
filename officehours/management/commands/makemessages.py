from django.core.management.commands import makemessages


class Command(makemessages.Command):
    """Django's makemessages without fuzzy matching.

    msgmerge otherwise pre-fills a new string with the translation of a similar
    old one ("Your bookings" got "Your API tokens"'s Swedish) and marks it fuzzy;
    a new string must stay empty so the completeness test asks for a translation.
    """

    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
