"""Views of events: programme."""
