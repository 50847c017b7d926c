"""Signals of the territories, for the apps that keep data derived from them.

``territories`` imports no other app of the project: an app whose rows follow the communes (the
lieux placed at their commune's point, say) listens here instead of being called.
"""

from django.dispatch import Signal

# Sent by ``territories_import`` at the end of an import, inside its transaction, with
# ``report`` (the ``ImportReport``: what changed). Receivers update what depends on the
# communes in the same transaction, so that a failed import leaves them untouched too.
territories_imported = Signal()
