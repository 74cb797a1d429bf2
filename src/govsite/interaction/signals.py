"""Signals of the 留言 app."""

from django.dispatch import Signal

# A message's public page may have changed (a reply approved, a rating given): sent with `message`.
message_published = Signal()
