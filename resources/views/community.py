"""Views of resources: « utile », comments, reports and their moderation."""
