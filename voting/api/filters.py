import django_filters

from stations.api.filters import AreaCodeFilter, StrictFilterSet

from ..models import LivelihoodProject, ProjectProposal


class ProposalFilter(StrictFilterSet):
    area = AreaCodeFilter()
    status = django_filters.ChoiceFilter(choices=ProjectProposal.Status.choices)

    class Meta:
        model = ProjectProposal
        fields = ["area", "status"]


class ProjectFilter(StrictFilterSet):
    area = AreaCodeFilter()
    year = django_filters.NumberFilter(min_value=2000, max_value=2100)
    status = django_filters.ChoiceFilter(choices=LivelihoodProject.Status.choices)

    class Meta:
        model = LivelihoodProject
        fields = ["area", "year", "status"]
