"""Views of events: feeds."""
