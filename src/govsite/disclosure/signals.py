"""Signals the disclosure app sends; apps above it (editorial) turn them into messages."""

from django.dispatch import Signal

# Sent once per case, reminder kind ("due_soon" or "overdue") and deadline by reminders.py, with
# `case` (a DisclosureRequest), `kind`, `deadline` (deadlines.Deadline) and `recipients` (the ids of
# the site's handlers). The receiver must not put personal information in its message.
deadline_reminder = Signal()
