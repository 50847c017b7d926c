"""Who may do what with resources. Plain predicates, used by views (403/404) and templates (buttons)."""

from advisors.perms import advisor_of, is_coordinator, is_member_anywhere
from resources.enums import ResourceStatus, ResourceVisibility


def is_author(user, resource):
    """Reads ``resource.authors.all()``: a page that prefetched them asks nothing more."""
    return user.is_authenticated and any(author.user_id == user.pk for author in resource.authors.all())


def can_view_resource(user, resource):
    """Published public resources for everyone, réseau ones for members of any network; drafts and
    hidden ones for their authors and the coordinators of the département."""
    if is_author(user, resource) or is_coordinator(user, resource.departement_id):
        return True
    if resource.status != ResourceStatus.PUBLISHED:
        return False
    return resource.visibility == ResourceVisibility.PUBLIC or is_member_anywhere(user)


def can_publish_resource(user):
    """Any member of a network with a profile shares resources."""
    return is_member_anywhere(user) and advisor_of(user) is not None


def can_edit_resource(user, resource):
    """Its authors and the coordinators of its département; everyone else 403."""
    return is_author(user, resource) or is_coordinator(user, resource.departement_id)


def can_moderate_resources(user, departement):
    return is_coordinator(user, departement)


def can_react_to_resource(user, resource):
    """« Utile », comments and reports: members of any network who see the resource."""
    return is_member_anywhere(user) and can_view_resource(user, resource)


def can_moderate_report(user, report):
    return can_moderate_resources(user, report.resource.departement_id)
