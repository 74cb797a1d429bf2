"""Signals of static publishing, for the apps above it (delivery pushes the files to web nodes).

files_changed(sender, site, paths): publishing wrote or removed files of `site` under
public_root()/<hostname>/. `paths` are the files' paths relative to the site directory (an address's
file, its .gz twin, its status files, the redirect maps): each one that exists now was written,
each one that does not was removed. None means "the whole site may have changed" (a full rebuild).
The local directory stays the source of truth: a receiver reads the files from there.
"""

from django.dispatch import Signal

files_changed = Signal()
