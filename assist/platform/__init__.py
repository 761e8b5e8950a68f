"""Seeing the chat and inserting into it, per operating system, behind small interfaces (base.py)."""
