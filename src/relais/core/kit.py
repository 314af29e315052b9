"""The module kit: what every module's pages are made of, declared in a few lines each.

A module's `views.py` declares its pages with these pieces instead of writing them again
(the walkthrough with a full example is `docs/dev/kit.md`):

- **Lists** — `list_page(request, queryset, filterset_class=…, columns=…, filename=…,
  template=…, title=…)`: the FilterSet shared with the API, pagination, `?export=csv|xlsx`
  through `relais.core.exports.lists`, and the context of the list partials
  (`core/_filters.html`, `core/_results_bar.html`, `core/_pagination.html`). The filter forms
  are DSFR-styled by `DsfrFilterSet`; references to other records (countries, units) are
  selects of the referential (`code_selects`, or a `ModelChoiceFilter` by code), never
  free-text codes. `filtered()` and
  `paginate()` are the two halves, for pages that are not plain lists (calendars, boards).
- **Record pages** — `record_context(request, obj, title=…, breadcrumb=…, edit_url=…,
  pdf_url=…)`: the marking banner (`page_marking`), the workflow panel (`panel`, shown by
  `workflow/_panel.html`), the change history (`history`, shown by `audit/_history.html`),
  `can_change`, and the header partial `core/_record_header.html` (title, state, marking,
  « Modifier », « Imprimer en PDF »).
- **Forms** — `form_page(...)` renders `core/form.html` (errors, fields, buttons, history);
  `create_page(...)` is a creation page; `part_form(...)` is « a part of a record » (a funding
  line of an action, a negotiation round of an agreement…): created or changed under its
  parent, back to the parent's page at an anchor. `changeable(model, user, **lookup)` fetches a
  record the user may change (404 out of scope, 403 read-only); `errors_to_form` puts a
  service's `ValidationError` on the form's fields.
- **Breadcrumbs** — `Crumbs("Accords", "agreements:list")` makes the trail of a module's pages.

Every piece starts from `visible_to(user)`: the caller hands in a scoped queryset (lists) or the
kit fetches with `get_visible_or_404` (records); writes go through the form's `save()` (a
`RecordForm`, hence `relais.core.records`) or the module's service.
"""

from collections.abc import Callable

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from relais.core.access import get_visible_or_404, require_change, require_create
from relais.core.audit.history import history_for
from relais.core.exports.lists import export_response, requested_format

PER_PAGE = 50
FORM_TEMPLATE = "core/form.html"


# --- Filters ---------------------------------------------------------------------------------


class DsfrFilterSet(django_filters.FilterSet):
    """Gives every widget of the filter form its DSFR class (`fr-input` or `fr-select`).

    `code_selects` shows filters given by a referential code (`?country=ML`, `?unit=SSI-BAMAKO`)
    as a select of the records the user may see instead of a free-text box:
    `{filter name: (model, label field[, page label])}`. The filter itself is unchanged, so the API keeps its
    syntax (a comma-separated list of codes, for instance); the choices are read only when the
    page renders the form (never for an API call). An optional third item is the select's
    label on the page (the filter's label stays the API's, « Pays (code ISO) »).
    """

    code_selects: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        for name, (model, label, *page_label) in self.code_selects.items():
            field = self.form.fields[name]
            field.widget = forms.Select(choices=_code_choices(model, label, user))
            field.label = page_label[0] if page_label else field.label
        for field in self.form.fields.values():
            css = "fr-select" if getattr(field.widget, "input_type", "") == "select" else "fr-input"
            field.widget.attrs.setdefault("class", css)

    @property
    def is_active(self) -> bool:
        """Whether the user asked for at least one filter."""
        return self.is_bound and any(self.data.get(name) for name in self.filters)


def _code_choices(model, label: str, user):
    """Choices (code, label) of `model` as `user` sees them, read when the select renders."""

    def choices():
        rows = model.objects.visible_to(user).order_by(label, "code").values_list("code", label)
        return [("", "Tous"), *rows]

    return choices


def filtered(request, filterset_class, queryset, data=None):
    """Bind `filterset_class` to the query string (or `data`): (filterset, rows, valid).

    Invalid filters give no rows (the form shows its errors), never the unfiltered list."""
    data = request.GET if data is None else data
    filterset = filterset_class(data or None, queryset=queryset, request=request)
    valid = filterset.is_valid() if filterset.is_bound else True
    return filterset, (filterset.qs if valid else queryset.none()), valid


def paginate(request, queryset, per_page: int = PER_PAGE):
    """The page asked by `?page=` (out of range: the last one), with `elided_range` for
    `core/_pagination.html`."""
    paginator = Paginator(queryset, per_page)
    page = paginator.get_page(request.GET.get("page"))
    page.elided_range = list(
        paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    )
    return page


def list_page(
    request,
    queryset,
    *,
    filterset_class=None,
    columns=None,
    filename: str = "",
    template: str,
    title: str,
    breadcrumb=None,
    context: dict | None = None,
    paginate_rows: bool = True,
    per_page: int = PER_PAGE,
    on_page: Callable | None = None,
    filterset=None,
):
    """A list page: filter `queryset` (already `visible_to`), export it when `?export=csv|xlsx`
    is asked (`columns` and `filename` given), or render `template` with `title`, `breadcrumb`,
    `filterset`, `page` (None when `paginate_rows` is false), `result_count` and `context`.

    `on_page(rows)` may decorate the rows of the shown page (counts in one query…). A filterset
    already built (`filterset=`) is used as it is."""
    if filterset is None and filterset_class is not None:
        filterset, rows, valid = filtered(request, filterset_class, queryset)
    elif filterset is not None:
        valid = filterset.is_valid() if filterset.is_bound else True
        rows = filterset.qs if valid else queryset.none()
    else:
        rows, valid = queryset, True
    fmt = requested_format(request)
    if fmt and valid and columns is not None:
        return export_response(request, rows, columns=columns, filename=filename, fmt=fmt)
    page = paginate(request, rows, per_page) if paginate_rows else None
    if on_page is not None:
        on_page(list(page.object_list) if page is not None else rows)
    return render(
        request,
        template,
        {
            "title": title,
            "breadcrumb": breadcrumb or [(title, None)],
            "filterset": filterset,
            "page": page,
            "result_count": page.paginator.count if page is not None else len(rows),
            **(context or {}),
        },
    )


# --- Breadcrumbs -----------------------------------------------------------------------------


class Crumbs:
    """The breadcrumb of a module's pages, starting at its home:

    crumbs = Crumbs("Accords", "agreements:list")
    crumbs(("Nouvel accord", None))          # [("Accords", "/accords/"), ("Nouvel accord", None)]
    crumbs.to(agreement, "Modifier")         # …, (str(agreement), its url), ("Modifier", None)
    """

    def __init__(self, label: str, url_name: str):
        self.label, self.url_name = label, url_name

    def __call__(self, *items):
        return [(self.label, reverse(self.url_name)), *items]

    def to(self, obj, label: str | None = None, *, parents=(), name: str | None = None):
        """The trail to `obj` (after `parents`), then `label` unlinked; without `label`, `obj`
        itself is the last, unlinked, item."""
        if label is None:
            return self(*parents, (name or str(obj), None))
        return self(*parents, (name or str(obj), obj.get_absolute_url()), (label, None))


# --- Record pages ----------------------------------------------------------------------------


def record_context(
    request,
    obj,
    *,
    title: str | None = None,
    breadcrumb=None,
    edit_url: str | None = None,
    pdf_url: str | None = None,
    workflow: bool = False,
    **extra,
) -> dict:
    """What a record page shows around its own content: `title`, `breadcrumb`, `object`,
    `page_marking` (the banner), `can_change`, `edit_url` (only when the user may change),
    `pdf_url`, `history` (for `audit/_history.html`) and, with `workflow=True`, `panel`
    (for `workflow/_panel.html`). `extra` is added as it is."""
    from relais.core.workflow.views import panel_context

    user = request.user
    can_change = obj.can_change(user)
    context = {
        "title": title or str(obj),
        "breadcrumb": breadcrumb or [(title or str(obj), None)],
        "object": obj,
        "obj": obj,
        "page_marking": getattr(obj, "marking", ""),
        "can_change": can_change,
        "edit_url": edit_url if can_change else None,
        "pdf_url": pdf_url,
        "history": history_for(obj, user),
    }
    if workflow:
        context["panel"] = panel_context(obj, user, next_url=request.get_full_path())
    context.update(extra)
    return context


# --- Forms -----------------------------------------------------------------------------------


def changeable(model_or_qs, user, **lookup):
    """The record `lookup` names, if `user` may see it (else 404) and change it (else 403)."""
    obj = get_visible_or_404(model_or_qs, user, **lookup)
    require_change(user, obj)
    return obj


def errors_to_form(form, exc: ValidationError) -> None:
    """Put a service's refusal on the form: on its fields when named, else on the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def form_page(request, form, *, title: str, breadcrumb, template: str = FORM_TEMPLATE, **extra):
    """Render a form page (`core/form.html` by default: `intro`, `parent`, `legend`,
    `submit_label`, `cancel_url`, `history` and `object` come from `extra`)."""
    return render(
        request, template, {"title": title, "breadcrumb": breadcrumb, "form": form, **extra}
    )


def save_form(request, form, *, message, success_url) -> object | None:
    """On POST, validate and save `form`; a `ValidationError` from the save (a service's
    refusal) goes on the form. Returns the redirect on success, else None."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        obj = form.save()
    except ValidationError as exc:
        errors_to_form(form, exc)
        return None
    if obj is None:  # a RecordForm that met a stale version: its errors are on the form
        return None
    messages.success(request, message(obj) if callable(message) else message)
    return redirect(success_url(obj) if callable(success_url) else success_url)


def create_page(
    request,
    model,
    form,
    *,
    title: str,
    breadcrumb,
    message,
    cancel_url: str,
    success_url: Callable | None = None,
    template: str = FORM_TEMPLATE,
    **extra,
):
    """A creation page: 403 unless the user may create `model`, then `save_form` (back to the
    new record's page by default) or the form again with its errors."""
    require_create(request.user, model)
    done = save_form(
        request, form, message=message, success_url=success_url or (lambda o: o.get_absolute_url())
    )
    return done or form_page(
        request,
        form,
        title=title,
        breadcrumb=breadcrumb,
        template=template,
        cancel_url=cancel_url,
        **extra,
    )


def part_form(
    request,
    parent,
    form,
    *,
    title: str,
    saved_message: str,
    anchor: str,
    breadcrumb,
    template: str = FORM_TEMPLATE,
    **extra,
):
    """The form of a part of `parent` (created or changed under it): saved through the form,
    then back to the parent's page at `#anchor`; the page carries the parent's marking."""
    back = f"{parent.get_absolute_url()}#{anchor}"
    done = save_form(request, form, message=saved_message, success_url=back)
    return done or form_page(
        request,
        form,
        title=title,
        breadcrumb=breadcrumb,
        template=template,
        parent=parent,
        page_marking=parent.marking,
        cancel_url=back,
        **extra,
    )


def part_create(parent_model, form_class, *, field: str, crumbs, title, saved_message, anchor):
    """The view creating a part of a `parent_model` record (`<int:pk>` in the URL): the parent
    must be changeable by the user, the new part gets `field=parent` and the parent's marking,
    then `part_form`. `title` may be a callable(parent).

        round_create = kit.part_create(
            Agreement, NegotiationRoundForm, field="agreement", crumbs=crumbs,
            title="Nouveau tour de négociation", saved_message="Le tour est enregistré.",
            anchor="negociation",
        )
    """
    model = form_class._meta.model

    def view(request, pk):
        parent = changeable(parent_model, request.user, pk=pk)
        instance = model(**{field: parent, "marking": parent.marking})
        form = form_class(request.POST or None, instance=instance, user=request.user)
        heading = title(parent) if callable(title) else title
        return part_form(
            request,
            parent,
            form,
            title=heading,
            saved_message=saved_message,
            anchor=anchor,
            breadcrumb=crumbs.to(parent, heading),
        )

    view.__name__ = view.__qualname__ = f"{model._meta.model_name}_create"
    view.__doc__ = (
        f"Create a {model._meta.verbose_name} under its {parent_model._meta.verbose_name}."
    )
    return view


# --- URLs ------------------------------------------------------------------------------------


def workflow_urls(model, prefix: str, name: str, *, page: bool = True) -> list:
    """The URLs of a record's circuit under `prefix` (« actions/<int:pk>/ »): the workflow page
    `<name>-workflow` (unless `page=False`) and the POST of a transition `<name>-transition`,
    as `Workflow.transition_url` names them.

        urlpatterns = [..., *kit.workflow_urls(CooperationAction, "actions/<int:pk>/", "action")]
    """
    from django.urls import path

    from relais.core.workflow.views import transition_view, workflow_page

    sep = "-" if name else ""
    urls = [
        path(
            f"{prefix}circuit/<slug:transition>/",
            transition_view,
            {"model": model},
            name=f"{name}{sep}transition",
        )
    ]
    if page:
        urls.insert(
            0,
            path(f"{prefix}circuit/", workflow_page, {"model": model}, name=f"{name}{sep}workflow"),
        )
    return urls
