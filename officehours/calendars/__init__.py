"""Calendar files: booking invitations, subscription feeds and add-to-calendar links.

Named `calendars` so that it never shadows the standard library's `calendar`.
"""
