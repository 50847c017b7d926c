"""Views of events: manage."""
