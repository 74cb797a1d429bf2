"""Signals the sites app sends."""

from django.dispatch import Signal

# Sent with `site` (a wagtail Site) and `short_name` (the department's 简称, its groups' prefix) once
# `create_department_site` has created or completed a department site. Apps above sites add their
# part here (govsite.workflow gives the site its 三审 workflow), so this app never imports them.
department_provisioned = Signal()
