"""The privacy registry is complete: every model with a column that can hold text (text,
email, JSON, file paths, IP addresses) is either a holder of client data, with every such
column accounted for, or named as holding none. A new model or column fails here until
someone decides how export and erase treat it."""

from __future__ import annotations

from django.apps import apps

from trainerhub.clients import privacy

TEXT_TYPES = {
    "CharField",
    "TextField",
    "SlugField",
    "FileField",
    "ImageField",
    "FilePathField",
    "JSONField",
    "GenericIPAddressField",
}


def _text_columns(model) -> set[str]:
    return {f.name for f in model._meta.concrete_fields if f.get_internal_type() in TEXT_TYPES}


def test_every_model_with_text_is_a_holder_or_holds_no_client_data():
    holders = {h.label for h in privacy.REGISTRY}
    missing = [
        model._meta.label
        for model in apps.get_models()
        if _text_columns(model)
        and model._meta.label not in holders
        and model._meta.label not in privacy.NO_CLIENT_DATA
    ]
    assert missing == []


def test_every_text_column_of_a_holder_is_accounted_for():
    unlisted = {
        h.label: sorted(_text_columns(h.model) - set(h.personal) - set(h.other_text))
        for h in privacy.REGISTRY
    }
    assert {label: cols for label, cols in unlisted.items() if cols} == {}


def test_every_holder_is_erased_and_exported_or_says_why_not():
    sections = {h.export_key for h in privacy.REGISTRY if h.export_key}
    for holder in privacy.REGISTRY:
        assert holder.erase in ("delete", "blank", "anonymise"), holder.label
        assert bool(holder.export_key) == (holder.exporter is not None), holder.label
        ways = [bool(holder.export_key), bool(holder.exported_in), bool(holder.not_exported)]
        assert ways.count(True) == 1, holder.label
        assert not holder.exported_in or holder.exported_in in sections, holder.label


def test_the_registry_names_each_model_once():
    labels = [h.label for h in privacy.REGISTRY]
    assert len(labels) == len(set(labels))
    assert not set(labels) & set(privacy.NO_CLIENT_DATA)
