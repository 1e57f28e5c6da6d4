"""
Strict paging and query parameters: nothing a client sends is silently clamped
or ignored. A parameter that is unknown, given twice or out of range answers 400,
naming it and what is allowed.
"""

from django_filters.filters import BaseCSVFilter
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.utils.urls import replace_query_param

from newsproject.text import whole_number


def whole_number_parameter(request, name, *, default, minimum, maximum=None):
    check_given_once(request, name)
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        return whole_number(raw, minimum=minimum, maximum=maximum)
    except ValueError as exc:
        message = str(exc)
        raise ValidationError({name: [message[0].upper() + message[1:]]}) from None


def check_given_once(request, name):
    if len(request.query_params.getlist(name)) > 1:
        raise ValidationError({name: ["Given more than once; give it once."]})


def check_known_parameters(request, known, repeatable=()):
    """Every parameter known, given once (but the lists, `repeatable`), and not empty."""
    unknown = sorted(set(request.query_params) - set(known))
    if unknown:
        allowed = ", ".join(sorted(known)) or "none"
        raise ValidationError({name: [f"Unknown parameter; the known ones are: {allowed}."] for name in unknown})
    for name in set(request.query_params) - set(repeatable):
        check_given_once(request, name)
    values = ((name, value) for name, values in request.query_params.lists() for value in values)
    empty = sorted({name for name, value in values if not value.strip()})
    if empty:
        raise ValidationError({name: ["Empty: give it a value, or leave it out."] for name in empty})


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """`limit` 1 to 100 (default 20) and `offset` ≥ 0; anything else is a 400, not clamped."""

    default_limit = 20
    max_limit = 100
    max_offset = 10**18 - 1  # whole_number() reads at most 18 digits

    def get_limit(self, request):
        return whole_number_parameter(
            request, self.limit_query_param, default=self.default_limit, minimum=1, maximum=self.max_limit
        )

    def get_offset(self, request):
        return whole_number_parameter(request, self.offset_query_param, default=0, minimum=0, maximum=self.max_offset)

    def query_parameters(self):
        return (self.limit_query_param, self.offset_query_param)

    def parameter_checks(self):
        """Each checks one parameter of `request`, raising the ValidationError that names it."""
        return (self.get_limit, self.get_offset)

    def get_previous_link(self):
        if self.count and self.offset >= self.count:  # past the end: the last page, not another empty one
            url = self.request.build_absolute_uri()
            return replace_query_param(url, self.offset_query_param, max(self.count - self.limit, 0))
        return super().get_previous_link()

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["required"] = ["count", "next", "previous", "results"]  # always there; null on the first or last
        return paginated

    def get_schema_operation_parameters(self, view):
        limit, offset = super().get_schema_operation_parameters(view)
        limit["schema"].update(minimum=1, maximum=self.max_limit, default=self.default_limit)
        limit["description"] = f"Articles per page: 1 to {self.max_limit}."
        # No default declared: a generated client would send offset=0 always, and never get pages by cursor.
        offset["schema"].update(minimum=0, maximum=self.max_offset)
        offset["description"] = "How many articles to skip (0 if not given)."
        return [limit, offset]


class BoundedCountPagination(LimitOffsetPagination):
    """Pages of a list whose `count` may be an estimate, said so by `count_is_estimate` (articles/counts.py): so
    whether a next page holds anything is told by reading one row more, not by the count."""

    count_help = "How many the list holds (see count_is_estimate)"
    estimate_help = "true when count is PostgreSQL's estimate; false when it is exact"
    count_is_estimate = False

    def page_by_offset(self, queryset):
        rows = list(queryset[self.offset : self.offset + self.limit + 1])
        self.more = len(rows) > self.limit
        return rows[: self.limit]

    def get_next_link(self):
        if not self.more:
            return None
        url = replace_query_param(self.request.build_absolute_uri(), self.limit_query_param, self.limit)
        return replace_query_param(url, self.offset_query_param, self.offset + self.limit)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data = {"count": self.count, "count_is_estimate": self.count_is_estimate, **response.data}
        return response

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        estimate = {"type": "boolean", "description": self.estimate_help}
        paginated["properties"] = {"count_is_estimate": estimate, **paginated["properties"]}
        paginated["properties"]["count"]["description"] = self.count_help
        paginated["required"].insert(1, "count_is_estimate")
        return paginated


def list_parameters(filterset):
    """The filters that take several values: comma-separated (`category=a,b`), or repeated (`category=a&category=b`,
    as generated clients send a list), or both."""
    return {name for name, field in filterset.base_filters.items() if isinstance(field, BaseCSVFilter)}


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter, plus a 400 for any query parameter that neither the filters, the paging nor the view know.

    Every wrong parameter is reported at once: unknown ones, paging and filters alike.
    """

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        data = kwargs["data"].copy()
        for name in list_parameters(self.get_filterset_class(view, queryset)):
            if name in data:
                data[name] = ",".join(data.getlist(name))
        return {**kwargs, "data": data}

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", "list") != "list":  # one article by its id: the list's filters do not apply
            check_known_parameters(request, known=())
            return queryset
        filterset = self.get_filterset(request, queryset, view)
        paginator = view.paginator
        known = set(filterset.base_filters)
        lists = list_parameters(filterset)
        if paginator is not None:
            known |= set(paginator.query_parameters())
        known |= set(getattr(view, "other_parameters", ()))  # a view's own (the Atom feed's token)
        errors = {}

        def collect(check, *args):
            try:
                check(*args)
            except ValidationError as exc:
                errors.update(exc.detail)

        collect(check_known_parameters, request, known, lists)
        for check in paginator.parameter_checks() if paginator is not None else ():
            collect(check, request)
        if not filterset.is_valid():
            errors.update({name: messages for name, messages in filterset.errors.items() if name not in errors})
        if errors:
            raise ValidationError(errors)
        view.list_filters = filterset.form.cleaned_data  # for the paging's count (articles/counts.py)
        return filterset.qs
