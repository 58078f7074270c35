"""LongSelect writes what Django's Select writes, option for option (it only skips the
template per option)."""

from __future__ import annotations

import re

import pytest
from django import forms

from trainerhub.core.widgets import LongSelect

CHOICES = [
    ("", "Any client"),
    (1, 'Ann "A" <Lee>'),
    (2, "Bo & Co"),
    ("Group", [(3, "Cy"), (4, "Dee")]),
]


@pytest.mark.parametrize("value", [None, "", 2, "4", [1]])
@pytest.mark.parametrize("attrs", [None, {"class": "wide", "required": True, "disabled": False}])
def test_the_html_is_djangos(value, attrs):
    ours = LongSelect(attrs=attrs, choices=CHOICES).render("client", value)
    django = forms.Select(attrs=attrs, choices=CHOICES).render("client", value)
    # Django's templates leave whitespace between the tags; nothing else may differ.
    assert ours == re.sub(r">\s+<", "><", django)


def test_a_bound_model_choice_field_marks_its_choice():
    class Pick(forms.Form):
        client = forms.ChoiceField(choices=CHOICES[:3], widget=LongSelect)

    html = str(Pick({"client": "2"})["client"])
    assert '<option value="2" selected>Bo &amp; Co</option>' in html
    assert 'id="id_client"' in html and html.startswith('<select name="client"')
