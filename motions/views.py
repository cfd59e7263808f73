from django.http import HttpResponse


def _stub(request, *a, **k):  # replaced by the pages
    return HttpResponse("")


public_list = delegate_list = delegate_new = delegate_detail = unit_list = unit_detail = _stub
staff_list = staff_stats = staff_export = staff_detail = _stub
