"""Views of resources: publishing, editing, history, files."""
