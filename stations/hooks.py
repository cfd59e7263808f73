"""Hooks through which higher apps add sections to the public station and delegate pages; stations never
imports them. A provider takes (request, object) and returns rendered HTML (or "" for nothing); the duties
app registers the delegate's yearly counts and the station's report-backs from its AppConfig.ready()."""

from collections.abc import Callable

from django.utils.safestring import SafeString, mark_safe

SectionProvider = Callable[..., str]

_delegate_sections: list[SectionProvider] = []
_station_sections: list[SectionProvider] = []


def register_delegate_section(provider: SectionProvider) -> None:
    if provider not in _delegate_sections:
        _delegate_sections.append(provider)


def register_station_section(provider: SectionProvider) -> None:
    if provider not in _station_sections:
        _station_sections.append(provider)


def delegate_sections(request, delegate) -> list[SafeString]:
    """Each provider's HTML (already escaped by its template) for the public delegate page."""
    return [mark_safe(html) for p in _delegate_sections if (html := p(request, delegate))]  # noqa: S308


def station_sections(request, station) -> list[SafeString]:
    return [mark_safe(html) for p in _station_sections if (html := p(request, station))]  # noqa: S308
