"""The admin audit trail: every field an admin adds, changes or deletes in /admin/.

Django's own admin log says only "Changed term and due date"; these records keep the
value before and after, as text, with who and when. Passwords are never kept: a changed
password is recorded as changed, without either value.
"""

import json

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.forms import BaseModelFormSet, ModelForm
from django.http import HttpRequest
from django.utils.text import capfirst

from bury_eis.models import AuditRecord

SECRET_FIELDS = {"password"}
NOT_RECORDED = "(not recorded)"
CHANGED = "(changed)"
Snapshot = dict[str, str]


def _text(instance: models.Model, field: models.Field) -> str:
    """A field's value as a person would read it."""
    value = getattr(instance, field.name)
    if value is None:
        return ""
    if field.choices:
        return str(getattr(instance, f"get_{field.name}_display")())
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(field, models.JSONField):
        return json.dumps(value, sort_keys=True)
    return str(value)


def snapshot(instance: models.Model) -> Snapshot:
    """Every editable field (many-to-many included) of a saved record, as text, by name."""
    values = {
        f.name: _text(instance, f)
        for f in instance._meta.concrete_fields
        if f.editable and not f.primary_key and not isinstance(f, models.BinaryField)
    }
    for f in instance._meta.many_to_many:
        values[f.name] = ", ".join(sorted(str(o) for o in getattr(instance, f.name).all()))
    return values


def stored_snapshot(instance: models.Model) -> Snapshot:
    """The record as the database holds it now: the admin form has already changed `instance`."""
    return snapshot(type(instance)._default_manager.get(pk=instance.pk))


def audit_record(
    *,
    user,
    instance: models.Model,
    kind: str,
    before: Snapshot,
    after: Snapshot,
    object_id: object = None,
) -> list[AuditRecord]:
    """Write one AuditRecord per field whose text differs between `before` and `after`.

    `object_id` is needed only for a deleted record, whose own pk is gone.
    """
    content_type = ContentType.objects.get_for_model(instance)
    records = []
    for name in sorted(before.keys() | after.keys()):
        old, new = before.get(name, ""), after.get(name, "")
        if old == new:
            continue
        if name in SECRET_FIELDS:
            old, new = (NOT_RECORDED if old else ""), CHANGED
        field = instance._meta.get_field(name)
        records.append(
            AuditRecord(
                content_type=content_type,
                object_id=str(instance.pk if object_id is None else object_id),
                object_repr=str(instance)[:200],
                kind=kind,
                field=str(capfirst(field.verbose_name)),
                before=old,
                after=new,
                changed_by=user,
            )
        )
    return AuditRecord.objects.bulk_create(records)


class AuditedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose adds, changes and deletes (inlines too) write AuditRecords."""

    def save_model(self, request: HttpRequest, obj: models.Model, form: ModelForm, change: bool):
        if change:
            # Many-to-many fields are saved later, in save_related, so this is still "before".
            _befores(request)[_key(obj)] = stored_snapshot(obj)
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: ModelForm, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        obj = form.instance
        before = _befores(request).pop(_key(obj), {}) if change else {}
        kind = AuditRecord.Kind.CHANGED if change else AuditRecord.Kind.ADDED
        audit_record(user=request.user, instance=obj, kind=kind, before=before, after=snapshot(obj))

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseModelFormSet, change: bool
    ) -> None:
        # Keyed by the form's own instance: the formset saves and deletes those objects.
        befores = {
            id(f.instance): (f.instance.pk, stored_snapshot(f.instance))
            for f in formset.initial_forms
            if f.instance.pk is not None and (f.has_changed() or f in formset.deleted_forms)
        }
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            _audit(request, obj, AuditRecord.Kind.ADDED, {}, snapshot(obj))
        for obj, _fields in formset.changed_objects:
            _audit(request, obj, AuditRecord.Kind.CHANGED, befores[id(obj)][1], snapshot(obj))
        for obj in formset.deleted_objects:
            pk, before = befores[id(obj)]
            _audit(request, obj, AuditRecord.Kind.DELETED, before, {}, pk)

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        pk, before = obj.pk, snapshot(obj)
        super().delete_model(request, obj)
        _audit(request, obj, AuditRecord.Kind.DELETED, before, {}, pk)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        doomed = [(obj, obj.pk, snapshot(obj)) for obj in queryset]
        super().delete_queryset(request, queryset)
        for obj, pk, before in doomed:
            _audit(request, obj, AuditRecord.Kind.DELETED, before, {}, pk)


def _audit(
    request: HttpRequest, obj: models.Model, kind: str, before, after, pk: object = None
) -> None:
    audit_record(
        user=request.user, instance=obj, kind=kind, before=before, after=after, object_id=pk
    )


def _key(obj: models.Model) -> tuple[str, object]:
    return (obj._meta.label, obj.pk)


def _befores(request: HttpRequest) -> dict:
    """Snapshots waiting for their "after", kept on the request (ModelAdmins are shared)."""
    if not hasattr(request, "_eis_audit_before"):
        request._eis_audit_before = {}
    return request._eis_audit_before


class ViewOnlyAdminMixin:
    """For records that change only through the service that keeps their rules: termly
    updates and KPI values (the figure rules, four eyes, their history). The admin shows
    them; the update page, the approvals page and the Excel upload change them."""

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False
