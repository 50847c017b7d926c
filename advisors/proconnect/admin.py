from allauth.socialaccount.models import SocialApp, SocialToken
from django.contrib import admin

# ProConnect is configured by the environment only (config.settings.proconnect_providers), and its tokens
# are never kept (SOCIALACCOUNT_STORE_TOKENS): allauth's admin pages for both would only mislead. The
# linked identities (SocialAccount) stay in the admin.
admin.site.unregister(SocialApp)
admin.site.unregister(SocialToken)
