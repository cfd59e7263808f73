from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BodiesConfig(AppConfig):
    """Bodies that vote and deliberate: a congress of an area and term, its standing committee, a street council
    (街道议政代表会) or another group, with their membership history. Sits just above stations: voting and
    supervision take a vote's roll from a body; councils (meetings) build on it."""

    name = "bodies"
    verbose_name = _("代表机构与议政代表会")
