"""Hypothesis strategies for the public forms, reusable for every form the site has.

A public form's data is a dict of field name to string, as a browser (or a bot) sends
it. ``free_text(limit)`` gives what a person might type, and what a bot might: any
Unicode, NUL bytes, line breaks, surrounding spaces, markup, and lengths up to and past
``limit``. ``form_data({...})`` combines field strategies into one POST. For a new
form, e.g. the adoption form::

    adoption_form_data = form_data({
        "organisation": free_text(200),
        "municipality": free_text(100),
        "contact_email": emails(),
        "adaptation": free_text(5000, required=False),
        "since": one_of_or_junk(["", "2026-01-01"]),
    })
"""

from hypothesis import strategies as st

from sluss_wagtail.models.adoptions import ADAPTATION_MAX_LENGTH
from tests.xss_vectors import XSS_VECTORS

# Any code point a form can carry: surrogates cannot be encoded in UTF-8 at all.
ANY_CHARACTER = st.characters(exclude_categories=("Cs",))
# Mostly what people write, so that many inputs are accepted and read back.
PLAIN_CHARACTER = st.characters(
    codec="utf-8", categories=("L", "N", "P", "Zs", "S"), exclude_characters="\x00"
)


def free_text(limit, *, required=True):
    """Text for a field that takes at most ``limit`` characters."""
    short = st.text(PLAIN_CHARACTER, min_size=1 if required else 0, max_size=min(limit, 60))
    return st.one_of(
        short,
        short,
        st.text(ANY_CHARACTER, max_size=min(limit, 80)),  # control characters, NUL, RTL marks
        st.sampled_from(XSS_VECTORS),
        st.builds(lambda text: f"  {text}\n", short),  # surrounding white space
        st.builds(lambda text: text + "\r\nrad två", short),  # line breaks
        # At the limit, and just past it.
        st.integers(min_value=limit - 1, max_value=limit + 2).map(lambda n: "å" * n),
        st.just(""),
    )


def emails():
    return st.one_of(
        st.just(""),
        st.emails(domains=st.just("exempelby.invalid")),
        st.sampled_from(["inte en adress", "a@b", "karin@exempelby.invalid\r\nBcc: x@y.z"]),
        st.text(ANY_CHARACTER, max_size=40),
    )


def one_of_or_junk(values):
    """One of the offered ``values``, or something that was never offered."""
    return st.one_of(st.sampled_from(values), st.text(ANY_CHARACTER, max_size=20))


def form_data(fields):
    """A POST of the form whose fields are ``fields`` (name -> strategy)."""
    return st.fixed_dictionaries(fields)


def accepted_text(limit, *, required=True):
    """Text a person writes that the form takes: any Unicode but NUL, within ``limit``."""
    text = st.text(ANY_CHARACTER.filter(lambda c: c != "\x00"), max_size=min(limit, 200))
    if required:
        text = text.filter(lambda value: value.strip())
    return st.one_of(text, st.sampled_from(XSS_VECTORS), st.just("ä" * limit))


IDEA_KINDS = ["resident", "employee", "association", "business", "other"]

#: What a bot sends: anything in every field.
hostile_idea_form_data = form_data(
    {
        "title": free_text(200),
        "description": free_text(10_000),
        "need": free_text(10_000),
        "beneficiaries": free_text(2_000, required=False),
        "submitter_kind": one_of_or_junk(IDEA_KINDS),
        "organisation": free_text(200, required=False),
        "name": free_text(200),
        "email": emails(),
        "phone": st.one_of(
            st.just(""),
            st.from_regex(r"\+?[0-9 ()\-]{5,40}", fullmatch=True),
            st.text(ANY_CHARACTER, max_size=45),
        ),
        "publish_idea": one_of_or_junk(["yes", "no"]),
        "publish_name": one_of_or_junk(["yes", "no"]),
    }
)

#: What a person sends: answers the form should take, to test that they read back.
person_idea_form_data = form_data(
    {
        "title": accepted_text(200),
        "description": accepted_text(10_000),
        "need": accepted_text(10_000),
        "beneficiaries": accepted_text(2_000, required=False),
        "submitter_kind": st.sampled_from(IDEA_KINDS),
        "organisation": accepted_text(200),
        "name": accepted_text(200),
        "email": st.one_of(st.just(""), st.emails(domains=st.just("exempelby.invalid"))),
        "phone": st.one_of(
            st.just(""), st.from_regex(r"\+?[0-9][0-9 ()\-]{4,38}[0-9]", fullmatch=True)
        ),
        "publish_idea": st.sampled_from(["yes", "no"]),
        "publish_name": st.sampled_from(["yes", "no"]),
    }
)

#: Half people, half bots.
idea_form_data = st.one_of(person_idea_form_data, hostile_idea_form_data)


ADOPTION_DATES = ["", "2026-01-01", "2026-03-15"]

#: What a bot sends to "we use this too": anything in every field.
hostile_adoption_form_data = form_data(
    {
        "organisation": free_text(200),
        "municipality": free_text(100),
        "contact_email": emails(),
        "adaptation": free_text(ADAPTATION_MAX_LENGTH, required=False),
        "since": one_of_or_junk(ADOPTION_DATES),
    }
)

#: What a person sends to "we use this too": answers the form should take.
person_adoption_form_data = form_data(
    {
        "organisation": accepted_text(200),
        "municipality": accepted_text(100),
        "contact_email": st.emails(domains=st.just("exempelby.invalid")),
        "adaptation": accepted_text(ADAPTATION_MAX_LENGTH, required=False),
        "since": st.sampled_from(ADOPTION_DATES),
    }
)

#: Half people, half bots.
adoption_form_data = st.one_of(person_adoption_form_data, hostile_adoption_form_data)
