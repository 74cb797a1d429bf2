"""Receivers of the workflow app (connected in WorkflowConfig.ready).

The 撤稿 signals it used to declare are the content app's now: govsite.content.signals.
"""
