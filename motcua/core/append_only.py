"""Append-only models: evidence (a dossier's history, bank credits and the decisions about them,
what the postal operator reported) is read and added to, never changed. One base for all of them
(ADR 0016): saving an existing row, deleting one, or `update()`/`delete()` on a queryset raises
PermissionError with a Vietnamese message naming what is protected."""

from __future__ import annotations

from django.db import models


def _refusal(model, verb: str) -> PermissionError:
    return PermissionError(f"{model.append_only_subject} chỉ được ghi thêm, không được {verb}.")


class AppendOnlyQuerySet(models.QuerySet):
    """A queryset of evidence can be read and added to, never changed."""

    def update(self, **kwargs):
        raise _refusal(self.model, "sửa")

    def delete(self):
        raise _refusal(self.model, "xóa")


class AppendOnlyModel(models.Model):
    """Base of every append-only model; `append_only_subject` names the rows in the refusal."""

    append_only_subject = "Dữ liệu"

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # A row read from the database (or given a key) exists already: saving it would change it.
        if self.pk is not None or not self._state.adding:
            raise _refusal(self, "sửa")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise _refusal(self, "xóa")
