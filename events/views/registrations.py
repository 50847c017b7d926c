"""Views of events: registrations."""
